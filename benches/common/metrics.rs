//! What the benchmark programs share: reading CSV files, and ranking metrics (NDCG, recall).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;

pub fn read_csv(path: &Path) -> anyhow::Result<Vec<HashMap<String, String>>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push(
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect(),
        );
    }
    Ok(rows)
}

pub fn field<'a>(row: &'a HashMap<String, String>, name: &str) -> &'a str {
    row.get(name).map_or("", |v| v.trim())
}

/// How a grade counts in DCG.
#[derive(Clone, Copy)]
pub enum Gain {
    /// 2^grade - 1 (grade 2 counts 3, grade 1 counts 1).
    Exponential,
    /// The grade itself.
    Linear,
}

impl Gain {
    pub fn of(self, grade: u32) -> f64 {
        match self {
            Gain::Exponential => 2f64.powi(grade.min(30) as i32) - 1.0,
            Gain::Linear => f64::from(grade),
        }
    }
}

/// DCG of grades in rank order, log2 discount, cut at `k`.
pub fn dcg(grades: impl IntoIterator<Item = u32>, k: usize, gain: Gain) -> f64 {
    grades
        .into_iter()
        .take(k)
        .enumerate()
        .map(|(rank, grade)| gain.of(grade) / (rank as f64 + 2.0).log2())
        .sum()
}

/// NDCG@k of a ranking; the ideal ranking orders every judged document of the query.
pub fn ndcg(ranking: &[String], grades: &HashMap<String, u32>, k: usize, gain: Gain) -> f64 {
    let mut ideal: Vec<u32> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ideal = dcg(ideal, k, gain);
    if ideal == 0.0 {
        return 0.0;
    }
    dcg(
        ranking
            .iter()
            .map(|id| grades.get(id).copied().unwrap_or(0)),
        k,
        gain,
    ) / ideal
}

/// Which documents recall counts.
#[derive(Clone, Copy)]
pub enum Relevant {
    /// Every document of grade > 0.
    Any,
    /// Only the documents of the query's highest grade (same NTEE code, not just same group).
    TopGrade,
}

/// Share of the relevant documents found in the first `k` results.
pub fn recall(ranking: &[String], grades: &HashMap<String, u32>, k: usize, which: Relevant) -> f64 {
    let min = match which {
        Relevant::Any => 1,
        Relevant::TopGrade => grades.values().copied().max().unwrap_or(0).max(1),
    };
    let relevant = grades.values().filter(|g| **g >= min).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranking
        .iter()
        .take(k)
        .filter(|id| grades.get(*id).is_some_and(|g| *g >= min))
        .count();
    found as f64 / relevant as f64
}
