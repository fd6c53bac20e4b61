//! SVG plots of a scenario's two runs: the LTV distribution over time, the deleveraged total against its
//! cap, and the lenders' equity.

use {
    crate::sim::{Mode, RunResult},
    plotters::prelude::*,
    std::path::{Path, PathBuf},
};

type Line = (String, RGBColor, Vec<(f64, f64)>);

fn chart(path: &Path, title: &str, y_label: &str, lines: &[Line]) -> Result<(), String> {
    let points = lines.iter().flat_map(|(_, _, p)| p.iter());
    let (mut x_max, mut y_min, mut y_max) = (1.0f64, f64::INFINITY, f64::NEG_INFINITY);
    for (x, y) in points {
        x_max = x_max.max(*x);
        y_min = y_min.min(*y);
        y_max = y_max.max(*y);
    }
    if !y_min.is_finite() {
        (y_min, y_max) = (0.0, 1.0);
    }
    let pad = ((y_max - y_min) * 0.05).max(1e-6);
    let root = SVGBackend::new(path, (900, 500)).into_drawing_area();
    let e = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    root.fill(&WHITE).map_err(|x| e(&x))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..x_max, (y_min - pad)..(y_max + pad))
        .map_err(|x| e(&x))?;
    chart.configure_mesh().x_desc("step (hours)").y_desc(y_label).draw().map_err(|x| e(&x))?;
    for (name, color, points) in lines {
        let color = *color;
        chart
            .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))
            .map_err(|x| e(&x))?
            .label(name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|x| e(&x))?;
    root.present().map_err(|x| e(&x))?;
    Ok(())
}

fn percentile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index]
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Ladder => "ladder",
        Mode::Plain => "plain",
    }
}

/// Writes the three plots under `dir` and returns their paths.
pub fn write_all(
    dir: &Path,
    scenario: &str,
    ladder: &RunResult,
    plain: &RunResult,
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = Vec::new();
    let palette =
        [RGBColor(31, 119, 180), RGBColor(214, 39, 40), RGBColor(44, 160, 44), RGBColor(148, 103, 189)];

    let mut lines = Vec::new();
    for (run, colors) in [(ladder, [palette[0], palette[2]]), (plain, [palette[1], palette[3]])] {
        for (q, label, color) in [(0.5, "median", colors[0]), (1.0, "max", colors[1])] {
            let points =
                run.series.ltv.iter().enumerate().map(|(t, v)| (t as f64, percentile(v, q))).collect();
            lines.push((format!("{} LTV {label}", mode_name(run.mode)), color, points));
        }
    }
    let path = dir.join(format!("{scenario}_ltv.svg"));
    chart(&path, &format!("{scenario}: LTV of open positions"), "LTV (%)", &lines)?;
    files.push(path);

    let supply = ladder.series.supply.iter().enumerate().map(|(t, v)| (t as f64, *v)).collect();
    let cap = ladder.series.cap.iter().enumerate().filter_map(|(t, c)| c.map(|c| (t as f64, c))).collect();
    let plain_supply = plain.series.supply.iter().enumerate().map(|(t, v)| (t as f64, *v)).collect();
    let lines = vec![
        ("ladder: total supply".to_string(), palette[0], supply),
        ("ladder: deleverage cap".to_string(), palette[2], cap),
        ("plain: total supply".to_string(), palette[1], plain_supply),
    ];
    let path = dir.join(format!("{scenario}_deleverage.svg"));
    chart(&path, &format!("{scenario}: volatile asset supply vs. cap"), "tokens", &lines)?;
    files.push(path);

    let lines: Vec<Line> = [(ladder, palette[0]), (plain, palette[1])]
        .into_iter()
        .map(|(run, color)| {
            let points = run.series.lender_equity.iter().enumerate().map(|(t, v)| (t as f64, *v)).collect();
            (format!("{} lender equity", mode_name(run.mode)), color, points)
        })
        .collect();
    let path = dir.join(format!("{scenario}_lender_equity.svg"));
    chart(&path, &format!("{scenario}: lenders' equity"), "USD", &lines)?;
    files.push(path);
    Ok(files)
}
