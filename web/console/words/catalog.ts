/** The words of the console's catalog pages, in English and Simplified Chinese. */

import type { Words } from "../i18n";

const en = {};

export const catalogWords: Words<keyof typeof en> = { en, zh: {} };
