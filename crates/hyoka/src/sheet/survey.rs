//! The citizen survey.

use super::*;

impl<'g> Parser<'g> {
    pub(super) fn survey(&mut self, range: Range<usize>) -> Survey {
        let rows = self.rows(range);
        let mut trends = Vec::new();
        for row in &rows[1..] {
            for (_, cell) in row.filled().filter(|(_, c)| !matches!(c, Cell::Error(_))) {
                let text = cell.as_text();
                if template::exact(&self.t.survey().labels, &text) {
                    continue;
                }
                trends.extend(lists::flat(&text));
            }
        }
        Survey { trends }
    }
}
