//! Program allocation: the exact solver against first come, first served and greedy by value, and
//! its speed.
//!
//! `cargo bench --bench allocation -- [quality] [constraints] [speed] [--ortools PYTHON]`
//!
//! Instances are generated from a seed (see `generate`): components of 10 to 70 units whose
//! popularity falls with their rank, so that the popular ones are asked for several times over;
//! applicants with 1 to 8 requests of 1 to 4 units, a fit from 0.1 to 1, priority groups (rural,
//! small, francophone minority, Indigenous-led) and often a maximum of their own; partners that
//! cap their total below the sum of their components. With `--ortools PYTHON` (a Python with
//! `ortools` installed), `benches/allocation_ortools.py` solves each instance too, as an
//! independent check of the optimum (the run stops if the values differ) and a speed to compare.
//!
//! `constraints` adds what breaks the flow form, a minimum share of the units for rural applicants
//! and all-or-nothing bundles, and measures what they cost against the exact optimum without them.
//!
//! Prints Markdown tables for BENCHMARKS.md.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use passerelle::allocation::{
    Allocation, Applicant, Assignment, Component, Instance, MinShare, Partner, Request,
    brute_force, solve, value, violation,
};
use rand::distr::weighted::WeightedIndex;
use rand::prelude::*;
use rand::rngs::StdRng;

#[allow(dead_code)]
#[path = "common/measure.rs"]
mod measure;
use measure::ms;

const GROUPS: [(&str, f64, f64); 4] = [
    // group, share of applicants, priority weight
    ("rural", 0.25, 0.10),
    ("small", 0.40, 0.05),
    ("francophone_minority", 0.15, 0.10),
    ("indigenous_led", 0.06, 0.15),
];

fn generate(applicants: usize, components: usize, seed: u64) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let partner_count = (components / 50).max(3);
    let components: Vec<Component> = (0..components)
        .map(|c| Component {
            id: format!("c{c}"),
            partner: format!("p{}", c % partner_count),
            capacity: rng.random_range(10..=70),
            per_org_max: if rng.random_bool(0.3) {
                None
            } else {
                Some(rng.random_range(1..=5))
            },
        })
        .collect();
    let partners = (0..partner_count)
        .map(|p| {
            let room: u32 = components
                .iter()
                .filter(|c| c.partner == format!("p{p}"))
                .map(|c| c.capacity)
                .sum();
            Partner {
                id: format!("p{p}"),
                capacity: (p % 2 == 0).then_some(room * 85 / 100),
            }
        })
        .collect();
    let popularity =
        WeightedIndex::new((0..components.len()).map(|rank| 1.0 / (rank as f64 + 1.0).powf(0.8)))
            .unwrap();
    let applicants = (0..applicants)
        .map(|a| Applicant {
            id: format!("a{a}"),
            groups: GROUPS
                .iter()
                .filter(|(_, share, _)| rng.random_bool(*share))
                .map(|(group, _, _)| group.to_string())
                .collect(),
            max_units: rng.random_bool(0.5).then(|| rng.random_range(3..=10)),
            requests: (0..rng.random_range(1..=8))
                .map(|_| Request {
                    component: components[popularity.sample(&mut rng)].id.clone(),
                    units: rng.random_range(1..=4),
                    fit: rng.random_range(0.1..1.0),
                    pinned: 0,
                })
                .collect(),
            bundle: false,
        })
        .collect();
    Instance {
        partners,
        components,
        applicants,
        priority: GROUPS
            .iter()
            .map(|(group, _, weight)| (group.to_string(), *weight))
            .collect(),
        diminishing: 0.6,
        fairness: 0.03,
        min_shares: Vec::new(),
    }
}

/// What is left of every limit while a baseline gives units one by one.
struct Room<'a> {
    component: HashMap<&'a str, u32>,
    partner: HashMap<&'a str, u32>,
    applicant: HashMap<&'a str, u32>,
    given: HashMap<(&'a str, &'a str), u32>,
    received: HashMap<&'a str, u32>,
}

impl<'a> Room<'a> {
    fn new(instance: &'a Instance) -> Self {
        Self {
            component: instance
                .components
                .iter()
                .map(|c| (c.id.as_str(), c.capacity))
                .collect(),
            partner: instance
                .partners
                .iter()
                .map(|p| (p.id.as_str(), p.capacity.unwrap_or(u32::MAX)))
                .collect(),
            applicant: instance
                .applicants
                .iter()
                .map(|a| (a.id.as_str(), a.max_units.unwrap_or(u32::MAX)))
                .collect(),
            given: HashMap::new(),
            received: HashMap::new(),
        }
    }

    /// Gives one more unit of `component` to `applicant` when every limit allows it.
    fn give(&mut self, applicant: &'a Applicant, component: &'a Component, asked: u32) -> bool {
        let given = self
            .given
            .entry((applicant.id.as_str(), component.id.as_str()))
            .or_default();
        let most = asked.min(component.per_org_max.unwrap_or(u32::MAX));
        let component_room = self.component.get_mut(component.id.as_str()).unwrap();
        let partner_room = self.partner.get_mut(component.partner.as_str()).unwrap();
        let applicant_room = self.applicant.get_mut(applicant.id.as_str()).unwrap();
        if *given >= most || *component_room == 0 || *partner_room == 0 || *applicant_room == 0 {
            return false;
        }
        *given += 1;
        *component_room -= 1;
        *partner_room -= 1;
        *applicant_room -= 1;
        *self.received.entry(applicant.id.as_str()).or_default() += 1;
        true
    }

    fn received(&self, applicant: &str) -> u32 {
        self.received.get(applicant).copied().unwrap_or(0)
    }

    fn into_assignments(self) -> Vec<Assignment> {
        let mut assignments: Vec<Assignment> = self
            .given
            .into_iter()
            .filter(|(_, units)| *units > 0)
            .map(|((applicant, component), units)| Assignment {
                applicant: applicant.into(),
                component: component.into(),
                units,
            })
            .collect();
        assignments.sort();
        assignments
    }
}

fn components_by_id(instance: &Instance) -> HashMap<&str, &Component> {
    instance
        .components
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect()
}

/// First come, first served: applicants in the order they applied, each request in its order,
/// as many units as asked while every limit allows.
fn first_come_first_served(instance: &Instance) -> Vec<Assignment> {
    let components = components_by_id(instance);
    let mut room = Room::new(instance);
    for applicant in &instance.applicants {
        for request in &applicant.requests {
            let component = components[request.component.as_str()];
            while room.give(applicant, component, request.units) {}
        }
    }
    room.into_assignments()
}

/// Greedy by value: every unit asked, best first (fit plus priority, diminished), each given
/// while every limit allows and it is worth more than the fairness cost it adds.
fn greedy_by_value(instance: &Instance) -> Vec<Assignment> {
    let components = components_by_id(instance);
    let mut units: Vec<(f64, &Applicant, &Component, u32)> = Vec::new();
    for applicant in &instance.applicants {
        let bonus: f64 = applicant
            .groups
            .iter()
            .filter_map(|g| instance.priority.get(g))
            .sum();
        for request in &applicant.requests {
            for k in 0..request.units {
                let worth = (request.fit + bonus) * instance.diminishing.powi(k as i32);
                units.push((
                    worth,
                    applicant,
                    components[request.component.as_str()],
                    request.units,
                ));
            }
        }
    }
    units.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut room = Room::new(instance);
    for (worth, applicant, component, asked) in units {
        let already = room.received(&applicant.id);
        if worth > instance.fairness * f64::from(already) {
            room.give(applicant, component, asked);
        }
    }
    room.into_assignments()
}

/// The Gini coefficient of the units each applicant receives (0: all alike; 1: one gets all).
fn gini(instance: &Instance, assignments: &[Assignment]) -> f64 {
    let mut received: HashMap<&str, f64> = instance
        .applicants
        .iter()
        .map(|a| (a.id.as_str(), 0.0))
        .collect();
    for assignment in assignments {
        *received.get_mut(assignment.applicant.as_str()).unwrap() += f64::from(assignment.units);
    }
    let mut values: Vec<f64> = received.into_values().collect();
    values.sort_by(f64::total_cmp);
    let n = values.len() as f64;
    let total: f64 = values.iter().sum();
    if total == 0.0 {
        return 0.0;
    }
    let ranked: f64 = values
        .iter()
        .enumerate()
        .map(|(i, x)| (i as f64 + 1.0) * x)
        .sum();
    2.0 * ranked / (n * total) - (n + 1.0) / n
}

fn row(name: &str, instance: &Instance, assignments: &[Assignment]) -> String {
    let served: std::collections::HashSet<&str> =
        assignments.iter().map(|a| a.applicant.as_str()).collect();
    let priority: Vec<&Applicant> = instance
        .applicants
        .iter()
        .filter(|a| !a.groups.is_empty())
        .collect();
    let priority_served = priority
        .iter()
        .filter(|a| served.contains(a.id.as_str()))
        .count();
    let units: u32 = assignments.iter().map(|a| a.units).sum();
    format!(
        "| {name} | {:.2} | {} | {} ({:.1} %) | {:.3} | {:.1} % | {} |",
        value(instance, assignments),
        units,
        served.len(),
        100.0 * served.len() as f64 / instance.applicants.len() as f64,
        gini(instance, assignments),
        100.0 * priority_served as f64 / priority.len().max(1) as f64,
        match violation(instance, assignments) {
            None => "0".to_owned(),
            Some(broken) => format!("**{broken}**"),
        }
    )
}

/// OR-tools' allocation of the instance written at `path`, and its solving time.
fn ortools(python: &str, path: &Path) -> (Vec<Assignment>, Duration) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/allocation_ortools.py");
    let output = Command::new(python)
        .arg(script)
        .arg(path)
        .output()
        .expect("run the OR-tools script");
    assert!(output.status.success(), "{output:?}");
    #[derive(serde::Deserialize)]
    struct Printed {
        assignments: Vec<Assignment>,
        seconds: f64,
    }
    let printed: Printed = serde_json::from_slice(&output.stdout).unwrap();
    (
        printed.assignments,
        Duration::from_secs_f64(printed.seconds),
    )
}

fn check_against_ortools(instance: &Instance, exact: &Allocation, theirs: &[Assignment]) {
    assert_eq!(violation(instance, theirs), None, "OR-tools broke a limit");
    let their_value = value(instance, theirs);
    assert!(
        (their_value - exact.value).abs() < 1e-6,
        "the exact allocation is worth {} and OR-tools' {their_value}",
        exact.value
    );
}

fn write(instance: &Instance, dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(instance).unwrap()).unwrap();
    path
}

/// The instances of the demo's programs, as `passerelle program-instance` prints them: the demo
/// is loaded by starting the server on a fresh data directory, which is stopped once they read.
fn demo_instances(dir: &Path) -> Vec<(String, Instance)> {
    let binary = env!("CARGO_BIN_EXE_passerelle");
    let data = dir.join("demo");
    let mut server = Command::new(binary)
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let read = |id: u32| {
        let output = Command::new(binary)
            .args(["program-instance", &id.to_string(), "--data-dir"])
            .arg(&data)
            .output()
            .ok()?;
        let instance: Instance = serde_json::from_slice(&output.stdout).ok()?;
        (!instance.applicants.is_empty()).then_some(instance)
    };
    let started = Instant::now();
    let mut instances = Vec::new();
    while instances.is_empty() && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(500));
        if let (Some(ontario), Some(quebec)) = (read(1), read(2)) {
            instances = vec![
                ("Ontario Community Tech Boost".to_owned(), ontario),
                (
                    "Virage numérique des organismes communautaires".to_owned(),
                    quebec,
                ),
            ];
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(!instances.is_empty(), "the demo's programs did not load");
    instances
}

fn quality(python: Option<&str>, dir: &Path, demo: &[(String, Instance)]) {
    println!("## Allocation quality\n");
    let mut cases: Vec<(String, Instance)> = [(2_000, 100, 1), (10_000, 500, 2)]
        .into_iter()
        .map(|(applicants, components, seed)| {
            (
                format!("Generated (seed {seed})"),
                generate(applicants, components, seed),
            )
        })
        .collect();
    cases.extend(demo.iter().map(|(name, instance)| {
        // The flow form only: bundles and minimum shares are measured in their own section.
        let mut instance = instance.clone();
        instance.min_shares.clear();
        for applicant in &mut instance.applicants {
            applicant.bundle = false;
        }
        (
            format!(
                "From the demo data, program “{name}” (`passerelle program-instance`; its bundles \
                 and minimum shares left aside)"
            ),
            instance,
        )
    }));
    for (seed, (name, instance)) in cases.into_iter().enumerate() {
        let applicants = instance.applicants.len();
        let components = instance.components.len();
        let capacity: u32 = instance.components.iter().map(|c| c.capacity).sum();
        let asked: u32 = instance
            .applicants
            .iter()
            .flat_map(|a| &a.requests)
            .map(|r| r.units)
            .sum();
        println!(
            "{name}: {applicants} applicants, {components} components, {capacity} units of \
             capacity, {asked} units asked.\n"
        );
        println!(
            "| Allocation | Value | Units given | Organizations served | Gini (units per organization) | Priority organizations served | Limits broken |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|");
        let exact = solve(&instance).unwrap();
        println!(
            "{}",
            row("Exact (min-cost flow)", &instance, &exact.assignments)
        );
        if let Some(python) = python {
            let path = write(&instance, dir, &format!("quality-{seed}.json"));
            let (theirs, _) = ortools(python, &path);
            check_against_ortools(&instance, &exact, &theirs);
            println!(
                "{}",
                row("OR-tools min-cost flow (check)", &instance, &theirs)
            );
        }
        println!(
            "{}",
            row("Greedy by value", &instance, &greedy_by_value(&instance))
        );
        println!(
            "{}",
            row(
                "First come, first served",
                &instance,
                &first_come_first_served(&instance)
            )
        );
        println!();
    }
}

/// The share of the units given that went to applicants of `group`.
fn share_of(instance: &Instance, group: &str, assignments: &[Assignment]) -> f64 {
    let members: std::collections::HashSet<&str> = instance
        .applicants
        .iter()
        .filter(|a| a.groups.iter().any(|g| g == group))
        .map(|a| a.id.as_str())
        .collect();
    let all: u32 = assignments.iter().map(|a| a.units).sum();
    let theirs: u32 = assignments
        .iter()
        .filter(|a| members.contains(a.applicant.as_str()))
        .map(|a| a.units)
        .sum();
    f64::from(theirs) / f64::from(all.max(1))
}

/// Bundles served whole and left out (a split one would be a broken limit).
fn bundles(instance: &Instance, assignments: &[Assignment]) -> (usize, usize) {
    let served: std::collections::HashSet<&str> =
        assignments.iter().map(|a| a.applicant.as_str()).collect();
    let bundled: Vec<&Applicant> = instance.applicants.iter().filter(|a| a.bundle).collect();
    let whole = bundled
        .iter()
        .filter(|a| served.contains(a.id.as_str()))
        .count();
    (whole, bundled.len() - whole)
}

fn constraints(demo: &[(String, Instance)]) {
    println!(
        "## Bundles and minimum shares
"
    );
    println!(
        "Rural applicants are 25 % of the applicants. \"Loss\": the value given up against the exact \
         optimum of the same instance without the constraint (an upper bound of what any allocation \
         meeting it could reach).\n"
    );
    println!(
        "| Applicants | Constraint | Exact optimum without it | Value with it | Loss | Group's share of the units | Bundles whole / left out | Limits broken | Time (ms) |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    for (applicants, components, seed) in [(500, 25, 3), (2_000, 100, 1)] {
        let base = generate(applicants, components, seed);
        let mut share = base.clone();
        share.min_shares = vec![MinShare {
            group: "rural".into(),
            share: 0.4,
        }];
        let mut bundled = base.clone();
        let mut rng = StdRng::seed_from_u64(seed + 100);
        for applicant in &mut bundled.applicants {
            applicant.bundle = applicant.requests.len() > 1 && rng.random_bool(0.3);
        }
        let mut both = bundled.clone();
        both.min_shares = share.min_shares.clone();
        for (name, instance) in [
            ("none", &base),
            ("rural ≥ 40 % of the units", &share),
            ("30 % of applicants ask for a bundle", &bundled),
            ("both", &both),
        ] {
            constrained_row(&applicants.to_string(), name, instance);
        }
    }
    for (name, instance) in demo {
        let described = format!(
            "demo “{name}”: {} minimum share(s), {} bundle(s)",
            instance.min_shares.len(),
            instance.applicants.iter().filter(|a| a.bundle).count()
        );
        constrained_row(&instance.applicants.len().to_string(), &described, instance);
    }
    println!();
    against_brute_force();
}

/// A tiny instance the brute force can try: 5 applicants with 1 or 2 requests of 1 to 3 units
/// on 3 components, a third of them rural; some bundles, or a minimum share, or both.
fn tiny(seed: u64, bundles: bool, share: bool) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let partners = vec![
        Partner {
            id: "p0".into(),
            capacity: Some(rng.random_range(3..=6)),
        },
        Partner {
            id: "p1".into(),
            capacity: None,
        },
    ];
    let components: Vec<Component> = (0..3)
        .map(|c| Component {
            id: format!("c{c}"),
            partner: format!("p{}", c % 2),
            capacity: rng.random_range(1..=4),
            per_org_max: rng.random_bool(0.5).then_some(2),
        })
        .collect();
    let applicants = (0..5)
        .map(|a| {
            let mut asked: Vec<usize> = (0..3).collect();
            asked.shuffle(&mut rng);
            Applicant {
                id: format!("a{a}"),
                groups: if rng.random_bool(0.33) {
                    vec!["rural".into()]
                } else {
                    Vec::new()
                },
                max_units: None,
                requests: asked[..rng.random_range(1..=2)]
                    .iter()
                    .map(|c| Request {
                        component: format!("c{c}"),
                        units: rng.random_range(1..=3),
                        fit: rng.random_range(0.1..1.0),
                        pinned: 0,
                    })
                    .collect(),
                bundle: bundles && rng.random_bool(0.4),
            }
        })
        .collect();
    Instance {
        partners,
        components,
        applicants,
        priority: [("rural".to_owned(), 0.1)].into(),
        diminishing: 0.7,
        fairness: 0.05,
        min_shares: if share {
            vec![MinShare {
                group: "rural".into(),
                share: 0.5,
            }]
        } else {
            Vec::new()
        },
    }
}

/// How close the constrained allocation comes to the true optimum with the constraints (the
/// brute force), on tiny instances.
fn against_brute_force() {
    println!(
        "On 300 tiny instances each (5 applicants, 3 components), against the brute force's optimum \
         with the same constraints:\n"
    );
    println!(
        "| Constraint | Instances where it costs something | Optimum found | Mean gap to the optimum | Largest gap | Limits broken |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, bundles, share) in [
        ("rural ≥ 50 % of the units", false, true),
        ("bundles (40 % of applicants)", true, false),
        ("both", true, true),
    ] {
        let (mut binding, mut found, mut broken) = (0, 0, 0);
        let mut gaps = Vec::new();
        for seed in 0..300 {
            let instance = tiny(seed, bundles, share);
            let allocation = solve(&instance).unwrap();
            let best = brute_force(&instance).unwrap();
            let relaxed = allocation.relaxed_value.unwrap_or(allocation.value);
            binding += usize::from(relaxed > best + 1e-9);
            broken += usize::from(violation(&instance, &allocation.assignments).is_some());
            let gap = if best.abs() > 1e-12 {
                (best - allocation.value) / best.abs()
            } else {
                0.0
            };
            found += usize::from(gap.abs() < 1e-9);
            gaps.push(gap);
        }
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        let largest = gaps.iter().copied().fold(0.0, f64::max);
        println!(
            "| {name} | {binding} | {found} / 300 | {:.2} % | {:.1} % | {broken} |",
            100.0 * mean.max(0.0),
            100.0 * largest
        );
    }
    println!();
}

/// One row of the constraints table: the instance solved, its value against the optimum
/// without its constraints.
fn constrained_row(applicants: &str, name: &str, instance: &Instance) {
    let started = Instant::now();
    let allocation = solve(instance).unwrap();
    let time = started.elapsed();
    let relaxed = allocation.relaxed_value.unwrap_or(allocation.value);
    let (whole, left_out) = bundles(instance, &allocation.assignments);
    // The share of the group the instance favours (rural in the generated ones).
    let (group, wanted) = instance
        .min_shares
        .first()
        .map_or(("rural", None), |s| (s.group.as_str(), Some(s.share)));
    println!(
        "| {applicants} | {name} | {relaxed:.2} | {:.2} | {:.2} % | {group}: {:.1} %{} | {} | {} | {} |",
        allocation.value,
        100.0 * (relaxed - allocation.value) / relaxed,
        100.0 * share_of(instance, group, &allocation.assignments),
        wanted.map_or(String::new(), |w| format!(" (≥ {:.0} %)", 100.0 * w)),
        if whole + left_out > 0 {
            format!("{whole} / {left_out}")
        } else {
            "–".into()
        },
        usize::from(violation(instance, &allocation.assignments).is_some()),
        ms(time),
    );
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn speed(python: Option<&str>, dir: &Path) {
    println!("## Allocation speed\n");
    println!(
        "Median of 3 runs. Whole command: `passerelle allocate FILE` from start to exit, reading and \
         writing JSON included. OR-tools: building its network and solving, in Python.\n"
    );
    println!(
        "| Applicants | Components | Units of capacity | Arcs of the network | Solve (ms) | Whole command (ms) | OR-tools (ms) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let binary = env!("CARGO_BIN_EXE_passerelle");
    for (applicants, components) in [
        (1_000, 50),
        (2_500, 125),
        (5_000, 250),
        (10_000, 500),
        (20_000, 1_000),
    ] {
        let instance = generate(applicants, components, 7);
        let capacity: u32 = instance.components.iter().map(|c| c.capacity).sum();
        let path = write(&instance, dir, &format!("speed-{applicants}.json"));
        let mut exact = None;
        let solves = (0..3)
            .map(|_| {
                let started = Instant::now();
                exact = Some(solve(&instance).unwrap());
                started.elapsed()
            })
            .collect();
        let exact = exact.unwrap();
        assert_eq!(violation(&instance, &exact.assignments), None);
        let commands = (0..3)
            .map(|_| {
                let started = Instant::now();
                let output = Command::new(binary)
                    .args(["allocate"])
                    .arg(&path)
                    .output()
                    .unwrap();
                assert!(output.status.success(), "{output:?}");
                started.elapsed()
            })
            .collect();
        let ortools_time = python.map(|python| {
            let mut times = Vec::new();
            for _ in 0..3 {
                let (theirs, time) = ortools(python, &path);
                check_against_ortools(&instance, &exact, &theirs);
                times.push(time);
            }
            ms(median(times))
        });
        println!(
            "| {applicants} | {components} | {capacity} | {} | {} | {} | {} |",
            passerelle::allocation::size(&instance).unwrap().1,
            ms(median(solves)),
            ms(median(commands)),
            ortools_time.unwrap_or_else(|| "not run".into())
        );
    }
    println!();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let python = args
        .iter()
        .position(|a| a == "--ortools")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let all = !args
        .iter()
        .any(|a| a == "quality" || a == "speed" || a == "constraints");
    let dir = tempfile::tempdir().unwrap();
    if python.is_none() {
        println!("(OR-tools not run: pass --ortools PYTHON, a Python with `ortools` installed)\n");
    }
    let wants = |section: &str| all || args.iter().any(|a| a == section);
    let demo = if wants("quality") || wants("constraints") {
        demo_instances(dir.path())
    } else {
        Vec::new()
    };
    if wants("quality") {
        quality(python, dir.path(), &demo);
    }
    if wants("constraints") {
        constraints(&demo);
    }
    if all || args.iter().any(|a| a == "speed") {
        speed(python, dir.path());
    }
}
