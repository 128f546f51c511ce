//! The charts, as inline SVG: horizontal bars (grouped or stacked), shares by week against
//! the 80% target, and occupancy against capacity as a heatmap. Each is preceded by its
//! legend; every mark carries its value (`data-value`) and a tooltip.

use std::fmt::Write as _;

use super::read::PrisonWeeks;
use super::text::{count, escape, percent};
use crate::problem::kpi::TARGET;

/// A horizontal bar chart: one row per category, one bar per series (grouped) or the series
/// stacked.
pub struct Bars<'a> {
    /// `data-chart` of the `<svg>`: what the browser test looks for.
    pub id: &'a str,
    /// What the chart shows, for screen readers.
    pub title: &'a str,
    pub series: Vec<(String, &'a str)>,
    pub rows: Vec<(String, Vec<Option<f64>>)>,
    pub stacked: bool,
    /// The axis' end; the largest value (or stack) when `None`.
    pub max: Option<f64>,
    /// A vertical line: (value, label).
    pub target: Option<(f64, &'a str)>,
    pub format: fn(f64) -> String,
}

/// A share on an axis or a label: a whole percentage without decimals, else with one.
pub fn format_share(v: f64) -> String {
    let pct = v * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0}%")
    } else {
        percent(Some(v))
    }
}

/// A count on an axis or a label: a whole number with thousands separated, else with one
/// decimal.
pub fn format_count(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        count(v.round() as u64)
    } else {
        format!("{v:.1}")
    }
}

/// The legend of a chart's series.
fn legend(series: &[(String, &str)]) -> String {
    let mut out = String::from("<div class=\"legend\">");
    for (name, colour) in series {
        let _ = write!(
            out,
            "<span><span class=\"swatch\" style=\"background:{colour}\"></span>{}</span>",
            escape(name)
        );
    }
    out.push_str("</div>");
    out
}

/// The chart of `bars`, after its legend.
pub fn bar_chart(bars: &Bars) -> String {
    const LABEL: f64 = 250.0;
    const PLOT: f64 = 580.0;
    const BAR: f64 = 12.0;
    const GAP: f64 = 8.0;
    let per_row = if bars.stacked {
        BAR + 4.0
    } else {
        BAR * bars.series.len() as f64
    };
    let max = bars.max.unwrap_or_else(|| {
        let largest = bars
            .rows
            .iter()
            .map(|(_, values)| {
                let values = values.iter().map(|v| v.unwrap_or(0.0));
                if bars.stacked {
                    values.sum()
                } else {
                    values.fold(0.0, f64::max)
                }
            })
            .fold(0.0, f64::max);
        nice_max(largest)
    });
    let top = 6.0;
    let height = top + bars.rows.len() as f64 * (per_row + GAP) + 28.0;
    let width = LABEL + PLOT + 70.0;
    let x = |v: f64| LABEL + PLOT * (v / max).clamp(0.0, 1.0);
    let mut svg = format!(
        "<svg class=\"chart\" data-chart=\"{}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">",
        escape(bars.id),
        escape(bars.title)
    );
    let axis_y = height - 22.0;
    for tick in 0..=4 {
        let value = max * f64::from(tick) / 4.0;
        let tx = x(value);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{tx:.1}\" y1=\"{top}\" x2=\"{tx:.1}\" y2=\"{axis_y}\"/>\
             <text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 14.0,
            escape(&(bars.format)(value))
        );
    }
    for (i, (label, values)) in bars.rows.iter().enumerate() {
        let y0 = top + i as f64 * (per_row + GAP);
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            LABEL - 6.0,
            y0 + per_row / 2.0 + 4.0,
            escape(label),
            escape(&shorten(label, 40))
        );
        let mut stack = 0.0;
        for (s, ((name, colour), value)) in bars.series.iter().zip(values).enumerate() {
            let Some(value) = value else { continue };
            let (x0, x1, y) = if bars.stacked {
                let from = stack;
                stack += value;
                (x(from), x(stack), y0 + 2.0)
            } else {
                (LABEL, x(*value), y0 + s as f64 * BAR)
            };
            let _ = write!(
                svg,
                "<rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" data-value=\"{value}\"><title>{}: {} {}</title></rect>",
                (x1 - x0).max(0.0),
                BAR - 1.0,
                escape(label),
                escape(name),
                escape(&(bars.format)(*value))
            );
            if !bars.stacked {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    x1 + 3.0,
                    y + BAR - 3.0,
                    escape(&(bars.format)(*value))
                );
            }
        }
        if bars.stacked && stack > 0.0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                x(stack) + 3.0,
                y0 + BAR,
                escape(&(bars.format)(stack))
            );
        }
    }
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{LABEL}\" y1=\"{top}\" x2=\"{LABEL}\" y2=\"{axis_y}\"/>"
    );
    if let Some((value, label)) = bars.target {
        let tx = x(value);
        let _ = write!(
            svg,
            "<line class=\"target\" x1=\"{tx:.1}\" y1=\"{top}\" x2=\"{tx:.1}\" y2=\"{axis_y}\"/>\
             <text class=\"target-label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            tx + 4.0,
            axis_y - 4.0,
            escape(label)
        );
    }
    svg.push_str("</svg>");
    format!("{}{svg}", legend(&bars.series))
}

/// One series of a [`week_chart`].
pub struct Line {
    pub name: String,
    pub colour: &'static str,
    /// Per week; `None` where nobody is counted (a gap in the line).
    pub values: Vec<Option<f64>>,
}

/// Shares by week on a 0–100% axis: one line per series with a marker per week, the 80%
/// target, and the weeks before `shade_until` shaded (releases not within reach).
pub fn week_chart(id: &str, title: &str, lines: &[Line], shade_until: usize) -> String {
    const LEFT: f64 = 44.0;
    const CELL: f64 = 26.0;
    const TOP: f64 = 8.0;
    const PLOT: f64 = 180.0;
    let weeks = lines.iter().map(|l| l.values.len()).max().unwrap_or(0);
    let plot_width = CELL * weeks.max(1) as f64;
    let width = LEFT + plot_width + 12.0;
    let height = TOP + PLOT + 30.0;
    let x = |week: usize| LEFT + CELL * (week as f64 + 0.5);
    let y = |v: f64| TOP + PLOT * (1.0 - v.clamp(0.0, 1.0));
    let mut svg = format!(
        "<svg class=\"chart\" data-chart=\"{}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">\
         <rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{plot_width}\" height=\"{PLOT}\" fill=\"#ffffff\" stroke=\"#d5dbe1\"/>",
        escape(id),
        escape(title)
    );
    let shaded = shade_until.min(weeks);
    if shaded > 0 {
        let _ = write!(
            svg,
            "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{:.1}\" height=\"{PLOT}\" fill=\"#eeeeee\"><title>releases not within reach (weeks 0–{})</title></rect>",
            CELL * shaded as f64,
            shaded - 1
        );
    }
    for tick in 0..=4 {
        let value = f64::from(tick) / 4.0;
        let ty = y(value);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT + plot_width,
            LEFT - 4.0,
            ty + 4.0,
            format_share(value)
        );
    }
    for week in (0..weeks).step_by(2) {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">w{week}</text>",
            x(week),
            TOP + PLOT + 16.0
        );
    }
    let target = y(TARGET);
    let _ = write!(
        svg,
        "<line class=\"target\" x1=\"{LEFT}\" y1=\"{target:.1}\" x2=\"{:.1}\" y2=\"{target:.1}\"/>\
         <text class=\"target-label\" x=\"{:.1}\" y=\"{:.1}\">80%</text>",
        LEFT + plot_width,
        LEFT + 4.0,
        target - 4.0
    );
    for line in lines {
        // One polyline per run of weeks with a value.
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, svg: &mut String| {
            if run.len() > 1 {
                let _ = write!(
                    svg,
                    "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
                    line.colour,
                    run.join(" ")
                );
            }
            run.clear();
        };
        for (week, value) in line.values.iter().enumerate() {
            match value {
                Some(v) => run.push(format!("{:.1},{:.1}", x(week), y(*v))),
                None => flush(&mut run, &mut svg),
            }
        }
        flush(&mut run, &mut svg);
        for (week, value) in line.values.iter().enumerate() {
            let Some(v) = value else { continue };
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"5\" height=\"5\" fill=\"{}\" data-value=\"{v}\"><title>{} week {week}: {}</title></rect>",
                x(week) - 2.5,
                y(*v) - 2.5,
                line.colour,
                escape(&line.name),
                percent(Some(*v))
            );
        }
    }
    svg.push_str("</svg>");
    let series: Vec<(String, &str)> = lines.iter().map(|l| (l.name.clone(), l.colour)).collect();
    format!("{}<div class=\"scroll\">{svg}</div>", legend(&series))
}

/// A round axis end at or above `largest`, in four equal steps of 1, 2, 2.5 or 5 times a
/// power of ten (whole steps of at least 1 for counts above 4).
fn nice_max(largest: f64) -> f64 {
    if largest <= 0.0 {
        return 1.0;
    }
    let raw = largest / 4.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&step| step >= raw - 1e-12)
        .unwrap_or(10.0 * power);
    let step = if largest > 4.0 { step.ceil() } else { step };
    step * 4.0
}

/// A label cut to `max` characters, with an ellipsis when cut.
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The colour of an occupancy ratio: blues up to full, red above capacity.
fn heat(ratio: f64) -> String {
    if ratio > 1.0 + 1e-9 {
        return "#c0392b".into();
    }
    let t = ratio.clamp(0.0, 1.0);
    let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(239.0, 8.0),
        mix(243.0, 69.0),
        mix(255.0, 148.0)
    )
}

/// Occupancy against capacity: one row per prison, one cell per week.
pub fn heatmap(prisons: &[PrisonWeeks], dates: &[String]) -> String {
    const LABEL: f64 = 60.0;
    const CELL_W: f64 = 24.0;
    const CELL_H: f64 = 11.0;
    let weeks = dates.len();
    let width = LABEL + CELL_W * weeks as f64 + 10.0;
    let height = 24.0 + CELL_H * prisons.len() as f64 + 8.0;
    let mut svg = format!(
        "<svg class=\"chart\" data-chart=\"occupancy\" role=\"img\" aria-label=\"Occupancy against capacity by prison and week\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
    );
    for week in (0..weeks).step_by(4) {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"14\" text-anchor=\"middle\">w{week}</text>",
            LABEL + CELL_W * (week as f64 + 0.5)
        );
    }
    for (row, prison) in prisons.iter().enumerate() {
        let y = 20.0 + CELL_H * row as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" style=\"font-size:9px\">{}</text>",
            LABEL - 4.0,
            y + CELL_H - 2.0,
            escape(&prison.code)
        );
        for (week, &(occupancy, capacity)) in prison.weeks.iter().enumerate() {
            let ratio = if capacity == 0 {
                if occupancy > 0 {
                    2.0
                } else {
                    0.0
                }
            } else {
                occupancy as f64 / capacity as f64
            };
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" data-value=\"{occupancy}\"><title>{} week {week} ({}): {occupancy} held, capacity {capacity}</title></rect>",
                LABEL + CELL_W * week as f64,
                CELL_W - 1.0,
                CELL_H - 1.0,
                heat(ratio),
                escape(&prison.code),
                escape(dates.get(week).map_or("", String::as_str)),
            );
        }
    }
    svg.push_str("</svg>");
    let key = [
        ("empty", heat(0.0)),
        ("half full", heat(0.5)),
        ("full", heat(1.0)),
        ("over capacity", heat(2.0)),
    ];
    let key: Vec<(String, &str)> = key
        .iter()
        .map(|(name, colour)| (name.to_string(), colour.as_str()))
        .collect();
    format!("{}<div class=\"scroll\">{svg}</div>", legend(&key))
}
