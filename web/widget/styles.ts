/**
 * The widget's styles, inside its shadow root. The page's rules cannot reach in, but inherited
 * properties (a huge font, a colour) flow through the host: `.rsv` resets them all (`all:
 * initial`) and sets its own, so a hostile page changes nothing inside.
 *
 * The business's brand colour (`branding.primary_colour`, which the API takes only when white
 * text on it reaches 4.5:1, so text in it on white does too) comes in as `--rsv-primary` and
 * `--rsv-accent` on `.rsv` itself; `.rsv` defines both, so a custom property the page sets on
 * the host cannot leak in. The focus ring keeps its own dark colour, off the control's edge,
 * so no brand colour can hide where the keyboard is.
 */
import { PLACEHOLDER_HEIGHT } from "../shared/embed";

export const css = `
/* The widget fits its column and never pushes it wider: its content does not size it (the
 * container below: a flex or grid item that may shrink to its track), so a long reference or
 * the card form cannot (a 280 px column's widget grew to 640 px, over its neighbour). Where
 * nothing gives it a width (a float, a shrink-to-fit box) it asks for its own 40em. A page's
 * own width, flex or grid placement on the element still wins. */
:host { display: block !important; contain: content; min-width: 0; max-width: 100%; }
/* The root is the container its summary's layout follows (the widget's width, not the
 * screen's: a 280 px column on a 1280 px screen broke the reference into three lines). */
.rsv { all: initial; display: block; box-sizing: border-box; max-width: 40em; padding: 1em;
  container-type: inline-size; contain-intrinsic-inline-size: 40em;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC",
  "Microsoft YaHei", sans-serif; color: #1b1f24; background: #fff; border: 1px solid #d0d7de;
  border-radius: 10px; text-align: start; --rsv-primary: #1f6feb; --rsv-accent: #0b57d0; }
/* As tall as the embed snippet's placeholder (web/shared/embed.ts): the page does not jump. */
.rsv.loading { min-height: ${PLACEHOLDER_HEIGHT}; }
.rsv *, .rsv *::before, .rsv *::after { box-sizing: border-box; }
.rsv h2 { font-size: 1.25em; margin: 0 0 .75em; font-weight: 650; outline: none; }
.rsv h3 { font-size: 1em; margin: 1em 0 .5em; font-weight: 650; }
.rsv p { margin: .5em 0; }
.rsv .business { font-size: .875em; color: #57606a; margin-bottom: .5em; }
.rsv .logo { display: block; max-height: 3em; max-width: 12em; width: auto; height: auto;
  margin-bottom: .5em; }
.rsv fieldset { border: 0; padding: 0; margin: 0 0 1em; min-width: 0; }
.rsv legend { font-weight: 600; margin-bottom: .5em; padding: 0; }
.rsv label { display: block; font-weight: 600; margin: .75em 0 .25em; }
.rsv input, .rsv select, .rsv textarea { font: inherit; color: inherit; width: 100%;
  padding: .55em .65em; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
.rsv textarea { min-height: 4.5em; resize: vertical; }
.rsv label.check { display: flex; gap: .5em; align-items: flex-start; font-weight: 400; }
.rsv label.check input { width: auto; margin: .2em 0 0; flex: none; }
.rsv .row { display: flex; gap: .75em; flex-wrap: wrap; }
.rsv .row > * { flex: 1 1 8em; min-width: 0; }
.rsv .row > .wide { flex-basis: 12em; }
.rsv button { font: inherit; cursor: pointer; border-radius: 6px; padding: .6em 1em;
  border: 1px solid var(--rsv-primary); background: var(--rsv-primary); color: #fff; font-weight: 600; }
.rsv button.secondary { background: #fff; color: var(--rsv-accent); border-color: #8c959f; }
/* A link that is a step's action (Booked's "Manage this booking") looks and sizes as a button:
 * 44 px high at least, a thumb's target. */
.rsv a.button { display: inline-flex; align-items: center; min-height: 44px; font-weight: 600;
  border-radius: 6px; padding: .6em 1em; border: 1px solid var(--rsv-primary); text-decoration: none;
  background: var(--rsv-primary); color: #fff; }
.rsv a.button.secondary { background: #fff; color: var(--rsv-accent); border-color: #8c959f; }
.rsv button.link { background: none; border-color: transparent; color: var(--rsv-accent); text-decoration: underline; }
.rsv button.danger { background: #b42318; border-color: #b42318; }
.rsv button[disabled] { opacity: .55; cursor: not-allowed; }
.rsv :focus-visible { outline: 3px solid #1b1f24; outline-offset: 2px; }
.rsv input::-webkit-calendar-picker-indicator:focus-visible { outline: 3px solid #1b1f24; outline-offset: 1px; border-radius: 4px; }
.rsv .actions { display: flex; gap: .75em; flex-wrap: wrap; margin-top: 1em; }
.rsv .list { list-style: none; padding: 0; margin: 0; display: grid; gap: .5em; }
.rsv .card { border: 1px solid #d0d7de; border-radius: 8px; padding: .75em; }
.rsv .card button { margin-top: .5em; }
/* Apart from the booking's own actions above it, as every block of the page is (an outside
 * tester's "Cancel booking" touched the payment box's border). */
.rsv .balance { margin-top: 1em; }
.rsv .choice { width: 100%; text-align: start; background: #fff; color: #1b1f24;
  border: 1px solid #8c959f; font-weight: 500; display: flex; justify-content: space-between;
  gap: .5em; flex-wrap: wrap; }
.rsv .choice:hover { border-color: var(--rsv-accent); }
.rsv .times { display: grid; grid-template-columns: repeat(auto-fill, minmax(6.5em, 1fr)); gap: .5em;
  list-style: none; padding: 0; margin: 0; }
.rsv .times button { width: 100%; background: #fff; color: var(--rsv-accent); border-color: #8c959f;
  font-weight: 600; padding: .5em .25em; }
.rsv .times small, .rsv .choice small { display: block; font-weight: 400; color: #57606a; font-size: .8em; }
.rsv .muted { color: #57606a; font-size: .875em; }
.rsv .price { font-variant-numeric: tabular-nums; }
.rsv table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.rsv td { padding: .2em 0; vertical-align: top; }
.rsv td:last-child { text-align: end; }
.rsv tr.total td { font-weight: 700; border-top: 1px solid #d0d7de; padding-top: .4em; }
.rsv .alert { border: 1px solid #b42318; background: #fef3f2; color: #7a271a; border-radius: 6px;
  padding: .6em .75em; margin: .75em 0; }
.rsv .notice { border: 1px solid #0b57d0; background: #eff6ff; color: #153e75; border-radius: 6px;
  padding: .6em .75em; margin: .75em 0; }
.rsv .success { border-color: #1a7f37; background: #ecfdf3; color: #0a4a22; }
.rsv .field-error { color: #b42318; font-size: .875em; margin-top: .25em; }
.rsv .countdown { font-variant-numeric: tabular-nums; font-weight: 700; }
/* A label takes at most half the width (a long tour's name wraps) and the value the rest: beside
 * a label as wide as it liked, a 420 px widget broke the reference into three lines. */
.rsv dl { display: grid; grid-template-columns: fit-content(50%) minmax(0, 1fr); gap: .25em .75em;
  margin: .5em 0; }
.rsv dt { color: #57606a; }
.rsv dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.rsv .pay-mount { border: 1px solid #8c959f; border-radius: 6px; padding: .75em; margin: .5em 0;
  min-width: 0; overflow-wrap: anywhere; }
/* The card form's light-DOM mount point (main.tsx also styles it inline): a block as wide as
 * its box, never wider, whatever the page's rules for a div. */
::slotted([slot=payment]) { display: block !important; min-width: 0 !important;
  max-width: 100% !important; }
.rsv .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.rsv .about { margin-top: 1em; border-top: 1px solid #d0d7de; padding-top: .5em; font-size: .9em; }
.rsv .about summary { cursor: pointer; color: var(--rsv-accent); font-weight: 600; padding: .25em 0; }
.rsv .about caption { text-align: start; font-weight: 600; padding: .5em 0 .25em; }
.rsv .about th { text-align: start; font-weight: 400; padding: .15em .75em .15em 0; }
.rsv .about address { font-style: normal; margin-top: .5em; }
.rsv .about a { color: var(--rsv-accent); }
/* The phone number, e-mail and website each a thumb's height apart: 21 px high links with no
 * gap between them at 320 px (an outside tester's). */
.rsv .about address a { display: inline-flex; align-items: center; min-height: 44px; max-width: 100%;
  overflow-wrap: anywhere; }
@media (max-width: 400px) {
  .rsv { padding: .75em; border-radius: 0; }
}
/* A narrow widget's summary stacks each label over its value, so a reference and a date read
 * whole (a 420 px phone broke the reference beside a tour's name and squeezed the date). By
 * the widget's own width: in a 280 px column of a wide screen a media query kept the two
 * columns, the reference in three lines and the date a word a line (an outside designer's). */
@container (max-width: 28em) {
  .rsv dl { grid-template-columns: minmax(0, 1fr); gap: 0; }
  .rsv dd { margin-bottom: .4em; }
}
`;
