/** Modules the page's build makes (page/vite.config.ts). */

declare module "virtual:infomorph-digits" {
  /** The embedded digits asset (play/digits-format.ts): its URL, and where the digits come from. */
  const digits: { url: string; source: string };
  export default digits;
}
