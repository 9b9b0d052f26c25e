# set_stack(top): points this instance's C stack at [top − size, top). Every thread that runs
# the kernels on one shared memory calls it once with its own region (the loader allocates
# them), so no two threads ever share a stack. Written in assembly because C cannot name the
# linker's __stack_pointer global.

	.text
	.globaltype	__stack_pointer, i32
	.section	.text.set_stack,"",@
	.globl	set_stack
	.export_name	set_stack, set_stack
	.type	set_stack,@function
set_stack:
	.functype	set_stack (i32) -> ()
	local.get	0
	global.set	__stack_pointer
	end_function
