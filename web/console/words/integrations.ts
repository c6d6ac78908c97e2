/** The words of the console's integrations pages, in English and Simplified Chinese. */

import type { Words } from "../i18n";

const en = {};

export const integrationsWords: Words<keyof typeof en> = { en, zh: {} };
