/** The words of the console's timeline pages, in English and Simplified Chinese. */

import type { Words } from "../i18n";

const en = {};

export const timelineWords: Words<keyof typeof en> = { en, zh: {} };
