//! The program allocation solver: a pure function from an instance (partners, components,
//! applicants with their requests) to the allocation of most value, no database.
//!
//! The value of an allocation is, over applicants `a` and components `c`, the sum for
//! `k = 1..u(a,c)` of `(fit(a,c) + Σ priority of a's groups) × diminishing^(k−1)`, minus
//! `fairness × n(a)(n(a)−1)/2` where `n(a)` is all the units `a` receives. Each unit's value falls
//! with `k` and each applicant's fairness cost rises with `n(a)`, so the problem is a min-cost flow
//! with convex costs: source → applicant (its k-th unit costs `fairness × (k−1)`), applicant →
//! component (its k-th unit of that component costs minus its value), component → partner (the
//! component's capacity), partner → sink (the partner's cap), and back from the sink to the
//! source. The circulation of least cost (a network simplex, `simplex.rs`) is the exact optimum:
//! the tests check the model against a brute force on small instances and the simplex against
//! cycle cancelling on larger ones.
//!
//! Two constraints a program may add break that form: all-or-nothing bundles and minimum shares
//! for a priority group. `constrained.rs` meets them around the exact solver and reports the
//! exact optimum without them, so that their cost is measured.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

mod constrained;
mod simplex;

use simplex::Circulation;

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
    /// At least this share of all the units given goes to the members of a group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub min_shares: Vec<MinShare>,
}

/// A priority group's minimum share of the units given.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MinShare {
    pub group: String,
    /// 0 to 1.
    pub share: f64,
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
    /// All or nothing: every request whole (its units, within the component's limits), or none.
    #[serde(default, skip_serializing_if = "is_false")]
    pub bundle: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub component: String,
    pub units: u32,
    /// How well the component fits the applicant (the matching score, 0 to 1).
    pub fit: f64,
    /// Units given whatever the optimum (a program team's pin); the rest is solved around them.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pinned: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
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
    /// With bundles or minimum shares: the exact optimum without them (what they cost is the
    /// difference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relaxed_value: Option<f64>,
}

/// Costs are solved as integers of this many parts of a unit of value, so that the shortest
/// paths are exact; the reported value is computed from the assignments in floating point.
const SCALE: f64 = 1e9;

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
    #[error("the units pinned {what}")]
    Pinned { what: String },
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
    for share in &instance.min_shares {
        if !(0.0..=1.0).contains(&share.share) {
            return out_of_range(format!("min_shares.{}", share.group), "between 0 and 1");
        }
    }
    let mut seen = HashSet::new();
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
    let partners: HashSet<&str> = instance.partners.iter().map(|p| p.id.as_str()).collect();
    let components: HashSet<&str> = instance.components.iter().map(|c| c.id.as_str()).collect();
    for component in &instance.components {
        if !partners.contains(component.partner.as_str()) {
            return Err(InstanceError::UnknownPartner {
                component: component.id.clone(),
                partner: component.partner.clone(),
            });
        }
    }
    for applicant in &instance.applicants {
        for request in &applicant.requests {
            if !components.contains(request.component.as_str()) {
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
    let pins = pinned_units(instance);
    if let Some(broken) = broken_limit(instance, &pins) {
        return Err(InstanceError::Pinned {
            what: format!("break a limit: {broken}"),
        });
    }
    // A bundle is pinned whole or not at all.
    if let Some(applicant) = instance
        .applicants
        .iter()
        .enumerate()
        .find_map(|(a, applicant)| {
            let whole = constrained::whole(instance, a);
            let pinned = |component: &String| {
                applicant
                    .requests
                    .iter()
                    .filter(|r| r.component == *component)
                    .map(|r| r.pinned)
                    .max()
                    .unwrap_or(0)
            };
            let any = whole.keys().any(|c| pinned(c) > 0);
            let all = whole.iter().all(|(c, units)| pinned(c) == *units);
            (applicant.bundle && any && !all).then_some(applicant)
        })
    {
        return Err(InstanceError::Pinned {
            what: format!(
                "of {} split a bundle: it is given whole or not at all",
                applicant.id
            ),
        });
    }
    Ok(())
}

/// The units pinned, as assignments: two requests of one component count as one, with the most
/// pinned (as the solver reads them).
fn pinned_units(instance: &Instance) -> Vec<Assignment> {
    let mut pinned: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for applicant in &instance.applicants {
        for request in applicant.requests.iter().filter(|r| r.pinned > 0) {
            let entry = pinned
                .entry((applicant.id.as_str(), request.component.as_str()))
                .or_default();
            *entry = (*entry).max(request.pinned);
        }
    }
    pinned
        .into_iter()
        .map(|((applicant, component), units)| Assignment {
            applicant: applicant.to_owned(),
            component: component.to_owned(),
            units,
        })
        .collect()
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
    let applicants = by_id(&instance.applicants, |a| &a.id);
    for assignment in assignments {
        let Some(applicant) = applicants.get(assignment.applicant.as_str()) else {
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

/// The items of a list by their id.
fn by_id<T>(items: &[T], id: impl Fn(&T) -> &String) -> HashMap<&str, &T> {
    items.iter().map(|item| (id(item).as_str(), item)).collect()
}

/// The allocation of most value that keeps every limit, exactly; with bundles or minimum
/// shares, the one `constrained::solve` finds, with the exact optimum without them.
pub fn solve(instance: &Instance) -> Result<Allocation, InstanceError> {
    check(instance)?;
    if instance.min_shares.is_empty() && !instance.applicants.iter().any(|a| a.bundle) {
        return Ok(exact(instance, &[]));
    }
    constrained::solve(instance)
}

/// The exact optimum of a checked instance, its bundles and minimum shares left aside, with
/// `bonus[a]` added to each unit applicant `a` receives (a Lagrange multiplier's price; empty:
/// none).
fn exact(instance: &Instance, bonus: &[f64]) -> Allocation {
    exact_split(instance, bonus, None).expect("without a split every instance has a flow")
}

/// Units the members of a group must receive at least, and the others at most (a minimum share
/// with its group's units fixed, which keeps the flow form).
pub(crate) struct Split {
    pub members: Vec<bool>,
    pub at_least: u32,
    pub others_at_most: u32,
}

/// `exact` with a split: `None` when the members cannot receive `at_least` units.
fn exact_split(instance: &Instance, bonus: &[f64], split: Option<&Split>) -> Option<Allocation> {
    let (network, unit_arcs, forced) = network(instance, bonus, split);
    let flow = network.solve();
    if let (Some(arc), Some(split)) = (forced, split)
        && flow[arc] < i64::from(split.at_least)
    {
        return None;
    }
    let components: HashMap<&str, usize> = instance
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut units: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for (a, applicant) in instance.applicants.iter().enumerate() {
        for (c, asked) in asked(applicant, &components) {
            if asked.pinned > 0 {
                units.insert((a, c), asked.pinned);
            }
        }
    }
    for (arc, a, c) in unit_arcs {
        if flow[arc] > 0 {
            *units.entry((a, c)).or_default() += flow[arc] as u32;
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
    Some(Allocation {
        value: value(instance, &assignments),
        assignments,
        relaxed_value: None,
    })
}

/// The nodes and arcs of an instance's flow network (to say how large a problem is).
pub fn size(instance: &Instance) -> Result<(usize, usize), InstanceError> {
    check(instance)?;
    let (network, _, _) = network(instance, &[], None);
    Ok((network.nodes, network.source.len()))
}

/// The flow network of a checked instance, which arcs carry which applicant's units of which
/// component (applicant and component by their place in the instance), and with a split, the arc
/// whose flow says how many of the forced units the members received.
fn network(
    instance: &Instance,
    bonus: &[f64],
    split: Option<&Split>,
) -> (Circulation, Vec<(usize, usize, usize)>, Option<usize>) {
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
    // With a split, the members' units leave the source through one node, the others' through
    // another: the first `at_least` of the members' cost so little that they are all given when
    // they can be, and the others' are capped.
    let mut network = Circulation::new(sink + 1 + if split.is_some() { 2 } else { 0 });
    let scaled = |value: f64| (value * SCALE).round() as i64;
    let (members_node, others_node) = (sink + 1, sink + 2);
    let mut forced = None;
    if let Some(split) = split {
        let most_per_unit = instance
            .applicants
            .iter()
            .flat_map(|a| a.requests.iter().map(|r| r.fit.abs()))
            .fold(0.0, f64::max)
            + instance.priority.values().map(|w| w.abs()).sum::<f64>()
            + instance.fairness
                * f64::from(instance.components.iter().map(|c| c.capacity).sum::<u32>())
            + 1.0;
        forced = Some(network.add(
            source,
            members_node,
            i64::from(split.at_least),
            -scaled(most_per_unit),
        ));
        let all: i64 = instance
            .components
            .iter()
            .map(|c| i64::from(c.capacity))
            .sum();
        network.add(source, members_node, all, 0);
        network.add(source, others_node, i64::from(split.others_at_most), 0);
    }
    let supply = |a: usize| match split {
        Some(split) if split.members[a] => members_node,
        Some(_) => others_node,
        None => source,
    };

    let mut unit_arcs: Vec<(usize, usize, usize)> = Vec::new();
    let mut pinned_in_component = vec![0i64; instance.components.len()];
    for (a, applicant) in instance.applicants.iter().enumerate() {
        let mut pinned_in_all = 0u32;
        let mut reachable = 0u32;
        for (c, asked) in asked(applicant, &components) {
            let component = &instance.components[c];
            let limit = asked
                .units
                .min(component.per_org_max.unwrap_or(u32::MAX))
                .min(component.capacity);
            // Pinned units come first; the arcs carry the units after them.
            let costs = (asked.pinned + 1..=limit)
                .map(|k| -scaled(unit_value(instance, applicant, asked.fit, k)));
            for arc in add_convex(&mut network, applicant_node(a), component_node(c), costs) {
                unit_arcs.push((arc, a, c));
            }
            pinned_in_component[c] += i64::from(asked.pinned);
            pinned_in_all += asked.pinned;
            reachable = reachable.saturating_add(limit.saturating_sub(asked.pinned));
        }
        let most = applicant
            .max_units
            .map_or(u32::MAX, |max| max.saturating_sub(pinned_in_all))
            .min(reachable);
        let price = bonus.get(a).copied().unwrap_or(0.0);
        let costs = (1..=most)
            .map(|k| scaled(instance.fairness * f64::from(pinned_in_all + k - 1) - price));
        add_convex(&mut network, supply(a), applicant_node(a), costs);
    }
    let mut partner_room: Vec<i64> = vec![0; instance.partners.len()];
    let mut pinned_in_partner: Vec<i64> = vec![0; instance.partners.len()];
    for (c, component) in instance.components.iter().enumerate() {
        let p = partners[component.partner.as_str()];
        let room = i64::from(component.capacity) - pinned_in_component[c];
        network.add(component_node(c), partner_node(p), room, 0);
        partner_room[p] += room;
        pinned_in_partner[p] += pinned_in_component[c];
    }
    for (p, partner) in instance.partners.iter().enumerate() {
        let room = partner.capacity.map_or(partner_room[p], |cap| {
            (i64::from(cap) - pinned_in_partner[p]).min(partner_room[p])
        });
        network.add(partner_node(p), sink, room, 0);
    }
    // The flow returns from the sink to the source: every cycle through this arc that costs
    // less than nothing is a way to add value, and the circulation of least cost takes them all.
    network.add(sink, source, partner_room.iter().sum(), 0);
    (network, unit_arcs, forced)
}

/// What an applicant asks of each component (by its place): two requests of one component count
/// as one, with the most units, the better fit and the most pinned.
struct Asked {
    units: u32,
    fit: f64,
    pinned: u32,
}

fn asked(applicant: &Applicant, components: &HashMap<&str, usize>) -> BTreeMap<usize, Asked> {
    let mut asked: BTreeMap<usize, Asked> = BTreeMap::new();
    for request in &applicant.requests {
        let entry = asked
            .entry(components[request.component.as_str()])
            .or_insert(Asked {
                units: 0,
                fit: f64::NEG_INFINITY,
                pinned: 0,
            });
        entry.units = entry.units.max(request.units);
        entry.fit = entry.fit.max(request.fit);
        entry.pinned = entry.pinned.max(request.pinned);
    }
    asked
}

/// Arcs from `from` to `to` whose k-th unit costs the k-th of `costs` (which never fall, so the
/// cheapest are used first); a run of equal costs is one arc. Says the arcs added.
fn add_convex(
    network: &mut Circulation,
    from: usize,
    to: usize,
    costs: impl Iterator<Item = i64>,
) -> Vec<usize> {
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for cost in costs {
        match runs.last_mut() {
            Some((last, count)) if *last == cost => *count += 1,
            _ => runs.push((cost, 1)),
        }
    }
    runs.into_iter()
        .map(|(cost, count)| network.add(from, to, count, cost))
        .collect()
}

/// Whether an allocation keeps every limit of its instance, its bundles and its minimum shares;
/// the first broken one otherwise.
pub fn violation(instance: &Instance, assignments: &[Assignment]) -> Option<String> {
    broken_limit(instance, assignments).or_else(|| constrained::broken(instance, assignments))
}

/// The first limit (capacities, caps, maxima, pins) an allocation breaks.
fn broken_limit(instance: &Instance, assignments: &[Assignment]) -> Option<String> {
    let mut per_component: HashMap<&str, u32> = HashMap::new();
    let mut per_partner: HashMap<&str, u32> = HashMap::new();
    let mut per_applicant: HashMap<&str, u32> = HashMap::new();
    let components = by_id(&instance.components, |c| &c.id);
    let applicants = by_id(&instance.applicants, |a| &a.id);
    for assignment in assignments {
        let Some(component) = components.get(assignment.component.as_str()) else {
            return Some(format!("unknown component {}", assignment.component));
        };
        let Some(applicant) = applicants.get(assignment.applicant.as_str()) else {
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
    let given: HashMap<(&str, &str), u32> = assignments
        .iter()
        .map(|a| ((a.applicant.as_str(), a.component.as_str()), a.units))
        .collect();
    for applicant in &instance.applicants {
        for request in applicant.requests.iter().filter(|r| r.pinned > 0) {
            let got = given
                .get(&(applicant.id.as_str(), request.component.as_str()))
                .copied()
                .unwrap_or(0);
            if got < request.pinned {
                return Some(format!(
                    "{} got fewer {} than pinned",
                    applicant.id, request.component
                ));
            }
        }
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

/// Every allocation of a small instance, tried one by one: the value of the best that keeps
/// every limit, bundle and minimum share (`None` when none does: pins that break a limit). An
/// oracle for the tests and the benchmark; its time grows as the product of the units asked.
pub fn brute_force(instance: &Instance) -> Option<f64> {
    let mut pairs: Vec<(String, String, u32)> = Vec::new();
    for applicant in &instance.applicants {
        for request in &applicant.requests {
            let component = instance
                .components
                .iter()
                .find(|c| c.id == request.component)
                .unwrap();
            let most = request.units.min(component.per_org_max.unwrap_or(u32::MAX));
            if !pairs
                .iter()
                .any(|(a, c, _)| *a == applicant.id && *c == request.component)
            {
                pairs.push((applicant.id.clone(), request.component.clone(), most));
            } else if let Some(pair) = pairs
                .iter_mut()
                .find(|(a, c, _)| *a == applicant.id && *c == request.component)
            {
                pair.2 = pair.2.max(most);
            }
        }
    }
    let mut best: Option<f64> = None;
    let mut counts = vec![0u32; pairs.len()];
    loop {
        let assignments: Vec<Assignment> = pairs
            .iter()
            .zip(&counts)
            .filter(|(_, units)| **units > 0)
            .map(|((a, c, _), units)| Assignment {
                applicant: a.clone(),
                component: c.clone(),
                units: *units,
            })
            .collect();
        if violation(instance, &assignments).is_none() {
            let worth = value(instance, &assignments);
            best = Some(best.map_or(worth, |b| b.max(worth)));
        }
        // The next combination, as an odometer.
        let mut i = 0;
        loop {
            if i == pairs.len() {
                return best;
            }
            if counts[i] < pairs[i].2 {
                counts[i] += 1;
                break;
            }
            counts[i] = 0;
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests;
