//! The program allocation solver: a pure function from an instance (partners, components,
//! applicants with their requests) to the allocation of most value, no database.
//!
//! The value of an allocation is, over applicants `a` and components `c`, the sum for
//! `k = 1..u(a,c)` of `(fit(a,c) + Σ priority of a's groups) × diminishing^(k−1)`, minus
//! `fairness × n(a)(n(a)−1)/2` where `n(a)` is all the units `a` receives. Each unit's value falls
//! with `k` and each applicant's fairness cost rises with `n(a)`, so the problem is a min-cost flow
//! with convex costs: source → applicant (its k-th unit costs `fairness × (k−1)`), applicant →
//! component (its k-th unit of that component costs minus its value), component → partner (the
//! component's capacity), partner → sink (the partner's cap). Successive shortest paths, stopped
//! when no path lowers the cost, give the exact optimum; checked against a brute force in the
//! tests.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// An allocation problem, as `passerelle allocate` reads it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub partners: Vec<Partner>,
    pub components: Vec<Component>,
    pub applicants: Vec<Applicant>,
    /// The weight of each priority group, added to the fit of its members' units.
    #[serde(default)]
    pub priority: BTreeMap<String, f64>,
    /// Each further unit of one component to one applicant is worth this share of the one
    /// before (0 to 1; default 1: no diminishing).
    #[serde(default = "one")]
    pub diminishing: f64,
    /// The cost that grows with what one applicant already receives (0 or more; default 0).
    #[serde(default)]
    pub fairness: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub id: String,
    /// The most units the partner gives across its components; none: no cap beyond theirs.
    #[serde(default)]
    pub capacity: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub id: String,
    pub partner: String,
    pub capacity: u32,
    /// The most units one applicant may receive; none: no limit beyond the capacity.
    #[serde(default)]
    pub per_org_max: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub id: String,
    #[serde(default)]
    pub groups: Vec<String>,
    /// The most units the applicant takes in all; none: what it asks.
    #[serde(default)]
    pub max_units: Option<u32>,
    pub requests: Vec<Request>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub component: String,
    pub units: u32,
    /// How well the component fits the applicant (the matching score, 0 to 1).
    pub fit: f64,
}

/// Units of one component given to one applicant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Assignment {
    pub applicant: String,
    pub component: String,
    pub units: u32,
}

/// The allocation and its value.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Allocation {
    pub assignments: Vec<Assignment>,
    pub value: f64,
}

/// Costs are solved as integers of this many parts of a unit of value, so that the shortest
/// paths are exact; the reported value is computed from the assignments in floating point.
const SCALE: f64 = 1e9;

/// An arc of the flow network with its residual twin at `index ^ 1`.
#[derive(Debug, Clone)]
struct Arc {
    to: usize,
    capacity: i64,
    cost: i64,
}

struct Network {
    arcs: Vec<Arc>,
    out: Vec<Vec<usize>>,
}

impl Network {
    fn new(nodes: usize) -> Self {
        Self {
            arcs: Vec::new(),
            out: vec![Vec::new(); nodes],
        }
    }

    fn add(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        let id = self.arcs.len();
        self.arcs.push(Arc { to, capacity, cost });
        self.arcs.push(Arc {
            to: from,
            capacity: 0,
            cost: -cost,
        });
        self.out[from].push(id);
        self.out[to].push(id + 1);
        id
    }

    /// The cheapest path from `source` to `sink` in the residual network (Bellman-Ford with a
    /// queue: costs may be negative, cycles are not), as the arcs to take.
    fn cheapest_path(&self, source: usize, sink: usize) -> Option<(i64, Vec<usize>)> {
        let nodes = self.out.len();
        let mut distance = vec![i64::MAX; nodes];
        let mut via = vec![usize::MAX; nodes];
        let mut queued = vec![false; nodes];
        let mut queue = std::collections::VecDeque::new();
        distance[source] = 0;
        queue.push_back(source);
        queued[source] = true;
        while let Some(node) = queue.pop_front() {
            queued[node] = false;
            for &id in &self.out[node] {
                let arc = &self.arcs[id];
                if arc.capacity <= 0 {
                    continue;
                }
                let through = distance[node] + arc.cost;
                if through < distance[arc.to] {
                    distance[arc.to] = through;
                    via[arc.to] = id;
                    if !queued[arc.to] {
                        queued[arc.to] = true;
                        queue.push_back(arc.to);
                    }
                }
            }
        }
        if distance[sink] == i64::MAX {
            return None;
        }
        let mut path = Vec::new();
        let mut node = sink;
        while node != source {
            let id = via[node];
            path.push(id);
            node = self.arcs[id ^ 1].to;
        }
        Some((distance[sink], path))
    }
}

/// What is wrong with an instance.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InstanceError {
    #[error("component \"{component}\" names partner \"{partner}\", which is not in `partners`")]
    UnknownPartner { component: String, partner: String },
    #[error(
        "applicant \"{applicant}\" asks for component \"{component}\", which is not in `components`"
    )]
    UnknownComponent {
        applicant: String,
        component: String,
    },
    #[error("`{field}` must be {rule}")]
    OutOfRange { field: String, rule: &'static str },
    #[error("two {what} are both called \"{id}\"")]
    Duplicate { what: &'static str, id: String },
}

fn check(instance: &Instance) -> Result<(), InstanceError> {
    let out_of_range = |field: String, rule| Err(InstanceError::OutOfRange { field, rule });
    if !(0.0..=1.0).contains(&instance.diminishing) {
        return out_of_range("diminishing".into(), "between 0 and 1");
    }
    if !(instance.fairness.is_finite() && instance.fairness >= 0.0) {
        return out_of_range("fairness".into(), "0 or more");
    }
    for (group, weight) in &instance.priority {
        if !weight.is_finite() {
            return out_of_range(format!("priority.{group}"), "a number");
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (what, id) in instance
        .partners
        .iter()
        .map(|p| ("partners", &p.id))
        .chain(instance.components.iter().map(|c| ("components", &c.id)))
        .chain(instance.applicants.iter().map(|a| ("applicants", &a.id)))
    {
        if !seen.insert((what, id)) {
            return Err(InstanceError::Duplicate {
                what,
                id: id.clone(),
            });
        }
    }
    for component in &instance.components {
        if !instance.partners.iter().any(|p| p.id == component.partner) {
            return Err(InstanceError::UnknownPartner {
                component: component.id.clone(),
                partner: component.partner.clone(),
            });
        }
    }
    for applicant in &instance.applicants {
        for request in &applicant.requests {
            if !instance
                .components
                .iter()
                .any(|c| c.id == request.component)
            {
                return Err(InstanceError::UnknownComponent {
                    applicant: applicant.id.clone(),
                    component: request.component.clone(),
                });
            }
            if !request.fit.is_finite() {
                return out_of_range(format!("{}.fit", applicant.id), "a number");
            }
        }
    }
    Ok(())
}

/// What one more unit of a request is worth: its `k`-th unit (from 1).
fn unit_value(instance: &Instance, applicant: &Applicant, fit: f64, k: u32) -> f64 {
    let priority: f64 = applicant
        .groups
        .iter()
        .filter_map(|group| instance.priority.get(group))
        .sum();
    (fit + priority) * instance.diminishing.powi(k as i32 - 1)
}

/// The value of an allocation (whatever made it), as the module's header defines it.
pub fn value(instance: &Instance, assignments: &[Assignment]) -> f64 {
    let mut total = 0.0;
    let mut received: HashMap<&str, u32> = HashMap::new();
    for assignment in assignments {
        let Some(applicant) = instance
            .applicants
            .iter()
            .find(|a| a.id == assignment.applicant)
        else {
            continue;
        };
        let fit: f64 = applicant
            .requests
            .iter()
            .filter(|r| r.component == assignment.component)
            .map(|r| r.fit)
            .fold(f64::NEG_INFINITY, f64::max);
        for k in 1..=assignment.units {
            total += unit_value(instance, applicant, fit, k);
        }
        *received.entry(&applicant.id).or_default() += assignment.units;
    }
    for n in received.values() {
        let n = f64::from(*n);
        total -= instance.fairness * n * (n - 1.0) / 2.0;
    }
    total
}

/// The allocation of most value that keeps every limit, exactly.
pub fn solve(instance: &Instance) -> Result<Allocation, InstanceError> {
    check(instance)?;
    let partners: HashMap<&str, usize> = instance
        .partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let components: HashMap<&str, usize> = instance
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    // Nodes: source, applicants, components, partners, sink.
    let source = 0;
    let applicant_node = |i: usize| 1 + i;
    let component_node = |i: usize| 1 + instance.applicants.len() + i;
    let partner_node = |i: usize| 1 + instance.applicants.len() + instance.components.len() + i;
    let sink = 1 + instance.applicants.len() + instance.components.len() + instance.partners.len();
    let mut network = Network::new(sink + 1);
    let scaled = |value: f64| (value * SCALE).round() as i64;

    // Which arc carries which applicant's unit of which component.
    let mut unit_arcs: Vec<(usize, usize, usize)> = Vec::new();
    for (a, applicant) in instance.applicants.iter().enumerate() {
        // Two requests of one component count as the better one.
        let mut asked: BTreeMap<usize, (u32, f64)> = BTreeMap::new();
        for request in &applicant.requests {
            let c = components[request.component.as_str()];
            let entry = asked.entry(c).or_insert((0, f64::NEG_INFINITY));
            entry.0 = entry.0.max(request.units);
            entry.1 = entry.1.max(request.fit);
        }
        let mut reachable = 0u32;
        for (&c, &(units, fit)) in &asked {
            let component = &instance.components[c];
            let limit = units
                .min(component.per_org_max.unwrap_or(u32::MAX))
                .min(component.capacity);
            for k in 1..=limit {
                let worth = unit_value(instance, applicant, fit, k);
                let arc = network.add(applicant_node(a), component_node(c), 1, -scaled(worth));
                unit_arcs.push((arc, a, c));
            }
            reachable = reachable.saturating_add(limit);
        }
        let most = applicant.max_units.unwrap_or(u32::MAX).min(reachable);
        for k in 1..=most {
            let cost = instance.fairness * f64::from(k - 1);
            network.add(source, applicant_node(a), 1, scaled(cost));
        }
    }
    let mut partner_room: Vec<i64> = vec![0; instance.partners.len()];
    for (c, component) in instance.components.iter().enumerate() {
        let p = partners[component.partner.as_str()];
        network.add(
            component_node(c),
            partner_node(p),
            i64::from(component.capacity),
            0,
        );
        partner_room[p] += i64::from(component.capacity);
    }
    for (p, partner) in instance.partners.iter().enumerate() {
        let room = partner
            .capacity
            .map_or(partner_room[p], |cap| i64::from(cap).min(partner_room[p]));
        network.add(partner_node(p), sink, room, 0);
    }

    // One unit at a time (every source arc carries one), while a path still adds value.
    while let Some((cost, path)) = network.cheapest_path(source, sink) {
        if cost >= 0 {
            break;
        }
        for id in path {
            network.arcs[id].capacity -= 1;
            network.arcs[id ^ 1].capacity += 1;
        }
    }

    let mut units: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for (arc, a, c) in unit_arcs {
        if network.arcs[arc].capacity == 0 {
            *units.entry((a, c)).or_default() += 1;
        }
    }
    let assignments: Vec<Assignment> = units
        .into_iter()
        .map(|((a, c), units)| Assignment {
            applicant: instance.applicants[a].id.clone(),
            component: instance.components[c].id.clone(),
            units,
        })
        .collect();
    Ok(Allocation {
        value: value(instance, &assignments),
        assignments,
    })
}

/// Whether an allocation keeps every limit of its instance; the first broken one otherwise.
pub fn violation(instance: &Instance, assignments: &[Assignment]) -> Option<String> {
    let mut per_component: HashMap<&str, u32> = HashMap::new();
    let mut per_partner: HashMap<&str, u32> = HashMap::new();
    let mut per_applicant: HashMap<&str, u32> = HashMap::new();
    for assignment in assignments {
        let Some(component) = instance
            .components
            .iter()
            .find(|c| c.id == assignment.component)
        else {
            return Some(format!("unknown component {}", assignment.component));
        };
        let Some(applicant) = instance
            .applicants
            .iter()
            .find(|a| a.id == assignment.applicant)
        else {
            return Some(format!("unknown applicant {}", assignment.applicant));
        };
        let asked = applicant
            .requests
            .iter()
            .filter(|r| r.component == component.id)
            .map(|r| r.units)
            .max()
            .unwrap_or(0);
        if assignment.units > asked {
            return Some(format!(
                "{} got more {} than asked",
                applicant.id, component.id
            ));
        }
        if assignment.units > component.per_org_max.unwrap_or(u32::MAX) {
            return Some(format!(
                "{} got more {} than one may",
                applicant.id, component.id
            ));
        }
        *per_component.entry(&component.id).or_default() += assignment.units;
        *per_partner.entry(&component.partner).or_default() += assignment.units;
        *per_applicant.entry(&applicant.id).or_default() += assignment.units;
    }
    for component in &instance.components {
        if per_component
            .get(component.id.as_str())
            .copied()
            .unwrap_or(0)
            > component.capacity
        {
            return Some(format!("{} over capacity", component.id));
        }
    }
    for partner in &instance.partners {
        let given = per_partner.get(partner.id.as_str()).copied().unwrap_or(0);
        if partner.capacity.is_some_and(|cap| given > cap) {
            return Some(format!("{} over its cap", partner.id));
        }
    }
    for applicant in &instance.applicants {
        let got = per_applicant
            .get(applicant.id.as_str())
            .copied()
            .unwrap_or(0);
        if applicant.max_units.is_some_and(|max| got > max) {
            return Some(format!("{} over its maximum", applicant.id));
        }
    }
    None
}

#[cfg(test)]
mod tests;
