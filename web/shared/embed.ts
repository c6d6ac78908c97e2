/**
 * The embed snippet's placeholder: what the business's page shows in the widget's place while
 * the widget's script loads (a phone on a slow connection waited 20 s looking at empty space,
 * an outside tester's), as tall as the widget's own loading line so the page does not jump
 * when the widget replaces it (web/widget/main.tsx removes it as it mounts).
 */

/** In px: the widget's own sizes are fixed inside it (16 px text), whatever the page's font. */
export const PLACEHOLDER_HEIGHT = "320px";

export const PLACEHOLDER = `<div style="min-height: ${PLACEHOLDER_HEIGHT}">Loading the booking form…</div>`;
