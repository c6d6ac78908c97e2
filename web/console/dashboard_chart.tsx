/**
 * One chart of the dashboard, drawn by uPlot (installed from npm, bundled by web/build.mjs):
 * bars or lines over the range's periods, both axes labelled, colours told apart by people
 * who do not see red and green (Okabe and Ito's palette, darkened for white). The canvas is
 * hidden from screen readers: the figure's table beside it has the same numbers.
 */

import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export const COLOURS = ["#1f5fbf", "#c24f00", "#00785a", "#a8417f", "#7a6000", "#5b6475"];

export interface Line {
  label: string;
  values: (number | null)[];
}

export interface ChartProps {
  labels: string[]; // one per period
  lines: Line[];
  xLabel: string;
  yLabel: string;
  bars?: boolean;
  counts?: boolean; // whole numbers: the axis steps by 1, 2, 5, 10…, never by a fraction
  format: (n: number) => string; // a value as the table writes it
  axis?: (n: number) => string; // a value on the axis (shorter)
  emptyTop?: number; // the axis's top when every value is 0 or missing (1 unless told)
}

const HEIGHT = 240;
const WHOLE_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000, 100_000];
const INK = "#1d2433";
const GRID = "#e4e7ec";

export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { labels, lines, bars, format } = props;
    const axis = props.axis ?? format;
    const x = labels.map((_, i) => i);
    const options: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: HEIGHT,
      scales: {
        x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
        // Nothing to draw: a fixed range (0 to 100 % for occupancy, 0 to 1 for counts), not
        // one that cuts 0..1 into fractions every label rounds to "0%".
        y: {
          range: (_u, _min, max) => {
            const top = max > 0 ? max * 1.15 : (props.emptyTop ?? 1);
            el.dataset.yRange = `0 ${top}`; // the axis's range, for a reader of the page (and a test)
            return [0, top];
          },
        },
      },
      axes: [
        {
          label: props.xLabel,
          stroke: INK,
          grid: { show: false },
          ticks: { stroke: GRID },
          incrs: [1, 2, 3, 4, 7, 14, 28, 56],
          space: 56,
          values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (labels[i] ?? "") : "")),
        },
        {
          label: props.yLabel,
          stroke: INK,
          grid: { stroke: GRID },
          ticks: { stroke: GRID },
          size: 64,
          ...(props.counts ? { incrs: WHOLE_STEPS } : {}),
          values: (_u, splits) => splits.map((n) => axis(n)),
        },
      ],
      series: [
        { label: props.xLabel, value: (_u, i) => (i === null ? "" : (labels[i] ?? "")) },
        ...lines.map((line, n) => {
          const colour = COLOURS[n % COLOURS.length]!;
          return {
            label: line.label,
            stroke: colour,
            width: 2,
            fill: bars ? `${colour}cc` : undefined,
            paths: bars ? uPlot.paths.bars!({ size: [0.7, 56] }) : undefined,
            points: { show: !bars && labels.length <= 31, size: 6 },
            value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? "—" : format(v)),
          };
        }),
      ],
      legend: { show: lines.length > 1 || !bars, live: false }, // names and colours; the numbers are in the table
    };
    const chart = new uPlot(options, [x, ...lines.map((l) => l.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(240, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [props.labels.join(), JSON.stringify(props.lines), props.bars, props.counts, props.emptyTop, props.xLabel, props.yLabel]);
  return <div class="chart" ref={box} aria-hidden="true" />;
}
