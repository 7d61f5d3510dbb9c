//! Charts drawn on the server as SVG, with no external asset: the page renders the geometry
//! computed here (`macros.html`, `bar_chart`). Every chart carries a title and a text
//! alternative, and the page puts its table beside it.

/// Width of the drawing, in SVG units; the chart scales to its container.
const WIDTH: u32 = 400;
/// How long the longest bar may be (bars start at the left edge).
const BAR_SPAN: u32 = 330;
/// Height of one row: its label, its bar, and the earlier value's thinner bar.
const ROW: u32 = 52;

/// One row of a horizontal bar chart: a label, a value and, optionally, an earlier value.
pub struct BarRow {
    pub label: String,
    pub value: f64,
    /// The value as the row's end says it.
    pub value_text: String,
    pub earlier: Option<f64>,
}

/// A bar as drawn.
pub struct Bar {
    pub label: String,
    pub label_y: u32,
    pub y: u32,
    pub width: u32,
    pub value_text: String,
    pub value_x: u32,
    /// The earlier value's bar: its y and width.
    pub earlier: Option<(u32, u32)>,
}

/// A horizontal bar chart, ready to draw.
pub struct BarChart {
    /// Unique on the page: the ids of its title and description derive from it.
    pub id: String,
    pub title: String,
    /// The text alternative: every value in words.
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub bars: Vec<Bar>,
    /// The legend of the two bars, when rows have earlier values.
    pub legend: Option<(String, String)>,
}

impl BarChart {
    /// Lays the rows out on a scale from 0 to `max`.
    pub fn new(
        id: &str,
        title: String,
        desc: String,
        rows: Vec<BarRow>,
        max: f64,
        legend: Option<(String, String)>,
    ) -> Self {
        let scale = |value: f64| {
            if max <= 0.0 {
                0
            } else {
                ((value.clamp(0.0, max) / max) * f64::from(BAR_SPAN)).round() as u32
            }
        };
        let bars = rows
            .into_iter()
            .zip(0u32..)
            .map(|(row, i)| {
                let top = i * ROW;
                let width = scale(row.value);
                Bar {
                    label: row.label,
                    label_y: top + 16,
                    y: top + 22,
                    width: width.max(2),
                    value_x: width.max(2) + 6,
                    value_text: row.value_text,
                    earlier: row.earlier.map(|e| (top + 38, scale(e).max(2))),
                }
            })
            .collect::<Vec<_>>();
        Self {
            id: id.to_owned(),
            title,
            desc,
            width: WIDTH,
            height: bars.len() as u32 * ROW,
            bars,
            legend,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_rows_do_not_overlap() {
        let row = |value: f64, earlier: Option<f64>| BarRow {
            label: "x".into(),
            value,
            value_text: value.to_string(),
            earlier,
        };
        let chart = BarChart::new(
            "c",
            "t".into(),
            "d".into(),
            vec![row(100.0, Some(50.0)), row(20.0, None), row(0.0, None)],
            100.0,
            None,
        );
        assert_eq!(chart.bars[0].width, BAR_SPAN);
        assert_eq!(chart.bars[0].earlier, Some((38, BAR_SPAN / 2)));
        assert_eq!(chart.bars[1].width, BAR_SPAN / 5);
        // A zero still shows a sliver, so the row is not mistaken for a missing one.
        assert_eq!(chart.bars[2].width, 2);
        assert!(chart.bars[1].label_y > chart.bars[0].earlier.unwrap().0);
        assert_eq!(chart.height, 3 * ROW);
    }
}
