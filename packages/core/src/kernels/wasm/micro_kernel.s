# The 5×8 register-tiled micro-kernel of matmul.c, in WebAssembly text assembly.
#
#   tile[5×8] = src[5×8] + Σ_{p<kc} pa[p*5 + r] · pb[p*8 + c]
#
# pa holds 5 rows of A interleaved (5 floats per k step), pb 8 columns of B
# (8 floats per k step), both packed by matmul.c. src is the tile itself
# (accumulate: src = c, src_ld = ldc), the bias row (src_ld = 0) or a zero row.
#
# Why assembly and not C: V8 compiles wasm almost instruction for instruction,
# and clang 14 (a) never folds constant offsets into wasm loads (it emits an
# i32.add per address, which V8 turns into an extra x64 instruction each) and
# (b) hoists every load of an unrolled step to the top, so V8 runs out of xmm
# registers and spills an accumulator, which puts a store-to-load round trip
# on the loop-carried chain. Written here, one k step is exactly: 2 vector
# loads, 5 broadcast loads with immediate offsets, 10 mul, 10 add, 3 integer
# ops. 5×8 uses 10 accumulators + 2 B vectors + 1 broadcast + 1 product
# temporary = 14 of the 15 xmm registers V8 allocates on x64 (xmm15 is its
# scratch); 6×8 needs 16 and spills. Measured on Zen 4 (Node 20), the kernel
# alone: 4×8 written in C 31 GFLOP/s, 4×8 here 36, 5×8 here 40. Unrolling k
# in wasm makes it slower (V8 hoists the loads again); V8 unrolls by itself.
#
# Signature (all i32; pointers are byte addresses in linear memory):
#   micro_kernel_5x8(kc, pa, pb, c, ldc_bytes, src, src_ld_bytes)
# Locals: 7..16 accumulators (row r: 7+2r, 8+2r), 17 b0, 18 b1, 19 a.

	.text
	.section	.text.micro_kernel_5x8,"",@
	.hidden	micro_kernel_5x8
	.globl	micro_kernel_5x8
	.type	micro_kernel_5x8,@function

# acc0, acc1 = src[0:4], src[4:8]; src += src_ld
.macro LOAD_ROW acc0, acc1
	local.get	5
	v128.load	0:p2align=2
	local.set	\acc0
	local.get	5
	v128.load	16:p2align=2
	local.set	\acc1
	local.get	5
	local.get	6
	i32.add
	local.set	5
.endm

# One row of one k step: a = splat(pa[off/4]); acc0 += a·b0; acc1 += a·b1
.macro ROW acc0, acc1, off
	local.get	\acc0
	local.get	17
	local.get	1
	v128.load32_splat	\off:p2align=2
	local.tee	19
	f32x4.mul
	f32x4.add
	local.set	\acc0
	local.get	\acc1
	local.get	18
	local.get	19
	f32x4.mul
	f32x4.add
	local.set	\acc1
.endm

# c[0:4], c[4:8] = acc0, acc1; c += ldc
.macro STORE_ROW acc0, acc1
	local.get	3
	local.get	\acc0
	v128.store	0:p2align=2
	local.get	3
	local.get	\acc1
	v128.store	16:p2align=2
	local.get	3
	local.get	4
	i32.add
	local.set	3
.endm

micro_kernel_5x8:
	.functype	micro_kernel_5x8 (i32, i32, i32, i32, i32, i32, i32) -> ()
	.local	v128, v128, v128, v128, v128, v128, v128, v128, v128, v128, v128, v128, v128
	LOAD_ROW	7, 8
	LOAD_ROW	9, 10
	LOAD_ROW	11, 12
	LOAD_ROW	13, 14
	LOAD_ROW	15, 16
	block
	local.get	0
	i32.const	1
	i32.lt_s
	br_if	0
	loop
	local.get	2
	v128.load	0:p2align=4
	local.set	17
	local.get	2
	v128.load	16:p2align=4
	local.set	18
	ROW	7, 8, 0
	ROW	9, 10, 4
	ROW	11, 12, 8
	ROW	13, 14, 12
	ROW	15, 16, 16
	local.get	1
	i32.const	20
	i32.add
	local.set	1
	local.get	2
	i32.const	32
	i32.add
	local.set	2
	local.get	0
	i32.const	-1
	i32.add
	local.tee	0
	br_if	0
	end_loop
	end_block
	STORE_ROW	7, 8
	STORE_ROW	9, 10
	STORE_ROW	11, 12
	STORE_ROW	13, 14
	STORE_ROW	15, 16
	end_function
