/** The words of the console's settings pages, in English and Simplified Chinese. */

import type { Words } from "../i18n";

const en = {};

export const settingsWords: Words<keyof typeof en> = { en, zh: {} };
