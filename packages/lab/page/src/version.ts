/** The lab's version, written into the runs the page exports (config.json's versions.infomorph). */

declare const __LAB_VERSION__: string;

export const LAB_VERSION: string = __LAB_VERSION__;
