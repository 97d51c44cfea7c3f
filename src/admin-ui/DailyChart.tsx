/** One series of a daily chart: its name, colour and one value per day. */
export interface Series {
  label: string;
  color: string;
  values: number[];
}

const WIDTH = 320;
const HEIGHT = 150;
const LEFT = 30;
const BOTTOM = 22;
const TOP = 8;

/** "2026-12-06" as "Dec 6": the day is already the shop's, so it is read as is (in UTC, which shifts nothing). */
export const dayLabel = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** Up to three round ticks from 0 to the top of the axis. */
function ticksFor(max: number): number[] {
  if (max <= 2) return [0, max];
  const top = max <= 10 ? max : Math.ceil(max / 5) * 5;
  return [0, Math.round(top / 2), top];
}

/**
 * Stacked daily bars with axes: counts on the left, the shop's days along the bottom (the first,
 * the middle and the last labelled), each bar's figures in its tooltip.
 */
export function DailyChart({ days, series, label }: { days: string[]; series: Series[]; label: string }) {
  const totals = days.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const ticks = ticksFor(Math.max(1, ...totals));
  const top = ticks.at(-1)!;
  const plotW = WIDTH - LEFT - 4;
  const plotH = HEIGHT - TOP - BOTTOM;
  const w = plotW / days.length;
  const y = (v: number) => TOP + plotH - (v / top) * plotH;
  const labelled = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])];
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      style={{ width: "100%", maxHeight: 200 }}
      role="img"
      aria-label={`${label} per day, ${dayLabel(days[0]!)} to ${dayLabel(days.at(-1)!)}`}
      data-testid="daily-chart"
    >
      {ticks.map((t) => (
        <g key={`tick-${t}`}>
          <line x1={LEFT} x2={WIDTH - 4} y1={y(t)} y2={y(t)} stroke={t === 0 ? "#8a8a8a" : "#ebebeb"} />
          <text x={LEFT - 4} y={y(t) + 3} fontSize="9" textAnchor="end" fill="#616161" data-axis="y">
            {t}
          </text>
        </g>
      ))}
      {days.map((day, i) => {
        let base = 0;
        return series.map((s) => {
          const v = s.values[i] ?? 0;
          const bottom = base;
          base += v;
          return v > 0 ? (
            <rect
              key={`${day}-${s.label}`}
              x={LEFT + i * w + Math.min(1, w / 4)}
              y={y(base)}
              width={Math.max(0.5, w - Math.min(2, w / 2))}
              height={y(bottom) - y(base)}
              fill={s.color}
            >
              <title>{`${dayLabel(day)}: ${v} ${s.label}`}</title>
            </rect>
          ) : null;
        });
      })}
      {labelled.map((i) => (
        <text
          key={`day-${i}`}
          x={LEFT + i * w + w / 2}
          y={HEIGHT - 6}
          fontSize="9"
          fill="#616161"
          textAnchor={i === 0 ? "start" : i === days.length - 1 ? "end" : "middle"}
          data-axis="x"
        >
          {dayLabel(days[i]!)}
        </text>
      ))}
    </svg>
  );
}
