//! Bundles and minimum shares: two constraints that break the min-cost flow form, met around the
//! exact solver.
//!
//! - **Minimum shares** ("at least 30 % of the units to rural organizations"): a Lagrange
//!   multiplier `λ` per share prices each unit an applicant receives at `λ × (1 − share)` for the
//!   group's members and `−λ × share` for the others, which keeps the flow form (a constant per
//!   unit on the applicant's arcs). The smallest `λ` whose exact optimum meets the share is found
//!   by bisection, share after share, for a few passes. With one share, the optimum gives the
//!   group some number `G` of units and the others at most `G × (1 − share) / share`: both are
//!   flow constraints once `G` is fixed (the group's units leave the source through a node of
//!   their own), so the exact optimum for each `G` between what the last `λ` below and the first
//!   above gave is solved, and the best kept (every `G` when there are few).
//! - **Bundles** (all or nothing): the optimum is solved without them; while a bundle applicant
//!   is served in part, the one served the most is either pinned whole or left out, whichever
//!   keeps more value (both re-solved), and the decision stays. Shares are then met around the
//!   decisions.
//!
//! Both give a feasible allocation, not a proven optimum: `relaxed_value`, the exact optimum
//! without them, bounds what they may cost, and the benchmark measures it.

use std::collections::HashMap;

use super::{
    Allocation, Assignment, Instance, InstanceError, Split, broken_limit, exact, exact_split,
    pinned_units, value,
};

/// Bisection steps per share and pass, and passes over the shares.
const STEPS: usize = 24;
const PASSES: usize = 4;
/// Above this price a share is out of reach (a unit is worth about 1).
const MOST_PRICE: f64 = 1000.0;

/// Meets the instance's bundles and minimum shares.
pub(super) fn solve(instance: &Instance) -> Result<Allocation, InstanceError> {
    let relaxed = exact(instance, &[]).value;
    let mut working = instance.clone();
    // A bundle larger than the applicant's own maximum is never whole.
    for a in 0..working.applicants.len() {
        let applicant = &working.applicants[a];
        if applicant.bundle
            && applicant
                .max_units
                .is_some_and(|max| whole(&working, a).values().sum::<u32>() > max)
        {
            working.applicants[a].requests.clear();
        }
    }
    // Bundles are decided on the exact optimum without the shares (one solve per option); then
    // the shares are met around the decisions, and a bundle the shares split is decided again
    // with them. A share that pinned bundles put out of reach leaves the pinned bundle of the
    // fewest group units out.
    let mut allocation = exact(&working, &[]);
    while let Some(a) = partial_bundle(&working, &allocation.assignments) {
        (working, allocation) = decide(working, a, |option| Ok(exact(option, &[])))?;
    }
    if !working.min_shares.is_empty() {
        allocation = loop {
            match with_shares(&working) {
                Ok(met) => match partial_bundle(&working, &met.assignments) {
                    Some(a) => (working, _) = decide(working, a, with_shares)?,
                    None => break met,
                },
                Err(err) => {
                    let Some(a) = pinned_bundle_to_drop(instance, &working) else {
                        return Err(err);
                    };
                    working.applicants[a].requests.clear();
                }
            }
        };
    }
    Ok(Allocation {
        value: value(instance, &allocation.assignments),
        relaxed_value: Some(relaxed),
        ..allocation
    })
}

/// The bundle applicant served the most, in part, if one is.
fn partial_bundle(instance: &Instance, assignments: &[Assignment]) -> Option<usize> {
    let received = per_request(assignments);
    (0..instance.applicants.len())
        .filter(|&a| instance.applicants[a].bundle)
        .filter_map(|a| {
            let id = instance.applicants[a].id.as_str();
            let whole = whole(instance, a);
            let got = |c: &String| received.get(&(id, c.as_str())).copied().unwrap_or(0);
            let asked: u32 = whole.values().sum();
            let given: u32 = whole.keys().map(got).sum();
            let is_whole = whole.iter().all(|(c, units)| got(c) == *units);
            (given > 0 && !is_whole).then_some((a, f64::from(given) / f64::from(asked.max(1))))
        })
        .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)))
        .map(|(a, _)| a)
}

/// Leaves bundle applicant `a` out or pins it whole (when its pins keep every limit), whichever
/// `solve` finds worth more; the decision stays in the instance returned.
fn decide(
    working: Instance,
    a: usize,
    solve: impl Fn(&Instance) -> Result<Allocation, InstanceError>,
) -> Result<(Instance, Allocation), InstanceError> {
    let mut left_out = working.clone();
    left_out.applicants[a].requests.clear();
    let mut options = vec![left_out];
    let mut pinned = working;
    let whole_units = whole(&pinned, a);
    for request in &mut pinned.applicants[a].requests {
        request.pinned = whole_units.get(&request.component).copied().unwrap_or(0);
    }
    if broken_limit(&pinned, &pinned_units(&pinned)).is_none() {
        options.push(pinned);
    }
    let mut best: Option<(Instance, Allocation)> = None;
    let mut failure = None;
    for option in options {
        match solve(&option) {
            Ok(solved) if best.as_ref().is_none_or(|(_, b)| solved.value > b.value) => {
                best = Some((option, solved));
            }
            Ok(_) => {}
            Err(err) => failure = Some(err),
        }
    }
    best.ok_or_else(|| failure.expect("an option failed"))
}

/// A bundle this solver pinned whole (not the team) to leave out so that a share may be met: the
/// one of the fewest units for the shares' groups, then of the most units in all.
fn pinned_bundle_to_drop(original: &Instance, instance: &Instance) -> Option<usize> {
    let groups: Vec<&str> = instance
        .min_shares
        .iter()
        .map(|s| s.group.as_str())
        .collect();
    (0..instance.applicants.len())
        .filter(|&a| {
            let applicant = &instance.applicants[a];
            applicant.bundle
                && applicant.requests.iter().any(|r| r.pinned > 0)
                && !original.applicants[a].requests.iter().any(|r| r.pinned > 0)
        })
        .min_by_key(|&a| {
            let applicant = &instance.applicants[a];
            let units: u32 = whole(instance, a).values().sum();
            let member = applicant
                .groups
                .iter()
                .any(|g| groups.contains(&g.as_str()));
            (member, std::cmp::Reverse(units))
        })
}

/// The exact optimum with each minimum share met by its price (bisection on the multipliers).
fn with_shares(instance: &Instance) -> Result<Allocation, InstanceError> {
    let shares = &instance.min_shares;
    let mut prices: Vec<f64> = vec![0.0; shares.len()];
    let bonus = |prices: &[f64]| -> Vec<f64> {
        instance
            .applicants
            .iter()
            .map(|applicant| {
                shares
                    .iter()
                    .zip(prices)
                    .map(|(share, price)| {
                        let member = applicant.groups.contains(&share.group);
                        price * (f64::from(u8::from(member)) - share.share)
                    })
                    .sum()
            })
            .collect()
    };
    let mut allocation = exact(instance, &[]);
    // The group's units in the last solution that missed the (single) share.
    let mut below = group_units(instance, 0, &allocation.assignments);
    for _ in 0..PASSES {
        if shortfall(instance, &allocation.assignments).is_none() {
            break;
        }
        for j in 0..shares.len() {
            if share_met(instance, j, &allocation.assignments) {
                continue;
            }
            let mut low = prices[j];
            let mut high = (2.0 * low).max(0.01);
            let at = |price: f64, prices: &mut Vec<f64>| {
                prices[j] = price;
                exact(instance, &bonus(prices))
            };
            let mut met = at(high, &mut prices);
            while !share_met(instance, j, &met.assignments) && high < MOST_PRICE {
                low = high;
                high *= 2.0;
                met = at(high, &mut prices);
            }
            for _ in 0..STEPS {
                let middle = (low + high) / 2.0;
                let tried = at(middle, &mut prices);
                if share_met(instance, j, &tried.assignments) {
                    high = middle;
                    met = tried;
                } else {
                    low = middle;
                    below = group_units(instance, j, &tried.assignments);
                }
            }
            prices[j] = high;
            allocation = met;
        }
    }
    if shares.len() == 1 && shortfall(instance, &allocation.assignments).is_none() {
        allocation = refine(instance, allocation, below);
    }
    match shortfall(instance, &allocation.assignments) {
        None => Ok(Allocation {
            value: value(instance, &allocation.assignments),
            ..allocation
        }),
        Some(group) => Err(InstanceError::Pinned {
            what: format!("leave the minimum share of \"{group}\" out of reach"),
        }),
    }
}

/// Most values of `G` tried exactly for one share.
const MOST_TRIES: u32 = 64;

/// The best allocation for one share: for each `G` (every one the group could receive when they
/// are few, else those from `below` to what `met` gives the group), the exact optimum with at
/// least `G` units to the group and at most `G × (1 − share) / share` to the others. With every
/// `G` tried it is the exact optimum under the share.
fn refine(instance: &Instance, met: Allocation, below: u32) -> Allocation {
    let share = &instance.min_shares[0];
    let above = group_units(instance, 0, &met.assignments);
    let members: Vec<bool> = instance
        .applicants
        .iter()
        .map(|a| a.groups.contains(&share.group))
        .collect();
    // Every `G` the group could receive when there are few; else those between the prices.
    let reachable: u32 = instance
        .applicants
        .iter()
        .zip(&members)
        .filter(|(_, member)| **member)
        .map(|(applicant, _)| {
            let asked: u32 = applicant.requests.iter().map(|r| r.units).sum();
            applicant.max_units.map_or(asked, |max| asked.min(max))
        })
        .fold(0u32, u32::saturating_add);
    let (from, to) = if reachable <= MOST_TRIES {
        (0, reachable)
    } else {
        (below.min(above), above)
    };
    // Pinned units are given outside the network: the split counts the others.
    let pins = pinned_units(instance);
    let pinned = |member: bool| -> u32 {
        pins.iter()
            .filter(|p| {
                let is_member = instance
                    .applicants
                    .iter()
                    .any(|a| a.id == p.applicant && a.groups.contains(&share.group));
                is_member == member
            })
            .map(|p| p.units)
            .sum()
    };
    let (pinned_members, pinned_others) = (pinned(true), pinned(false));
    let step = ((to - from) / MOST_TRIES).max(1);
    let mut best = met;
    for group in (from..=to).step_by(step as usize) {
        let others = if share.share > 0.0 {
            (f64::from(group) * (1.0 - share.share) / share.share + 1e-9).floor() as u32
        } else {
            u32::MAX / 2
        };
        let Some(others_at_most) = others.checked_sub(pinned_others) else {
            continue;
        };
        let split = Split {
            members: members.clone(),
            at_least: group.saturating_sub(pinned_members),
            others_at_most,
        };
        if let Some(tried) = exact_split(instance, &[], Some(&split))
            && share_met(instance, 0, &tried.assignments)
            && tried.value > best.value + 1e-12
        {
            best = tried;
        }
    }
    best
}

/// The units the `j`-th share's group receives.
fn group_units(instance: &Instance, j: usize, assignments: &[Assignment]) -> u32 {
    let Some(share) = instance.min_shares.get(j) else {
        return 0;
    };
    assignments
        .iter()
        .filter(|a| {
            instance
                .applicants
                .iter()
                .any(|p| p.id == a.applicant && p.groups.contains(&share.group))
        })
        .map(|a| a.units)
        .sum()
}

/// Whether the `j`-th minimum share is met (it is when nothing is given).
fn share_met(instance: &Instance, j: usize, assignments: &[Assignment]) -> bool {
    let share = &instance.min_shares[j];
    let members: Vec<&str> = instance
        .applicants
        .iter()
        .filter(|a| a.groups.contains(&share.group))
        .map(|a| a.id.as_str())
        .collect();
    let all: u32 = assignments.iter().map(|a| a.units).sum();
    let theirs: u32 = assignments
        .iter()
        .filter(|a| members.contains(&a.applicant.as_str()))
        .map(|a| a.units)
        .sum();
    // Within a rounding of the share's own decimals.
    f64::from(theirs) + 1e-9 >= share.share * f64::from(all)
}

/// The group of the first minimum share an allocation misses.
fn shortfall<'a>(instance: &'a Instance, assignments: &[Assignment]) -> Option<&'a str> {
    (0..instance.min_shares.len())
        .find(|&j| !share_met(instance, j, assignments))
        .map(|j| instance.min_shares[j].group.as_str())
}

/// The first bundle or minimum share an allocation breaks.
pub(super) fn broken(instance: &Instance, assignments: &[Assignment]) -> Option<String> {
    if let Some(group) = shortfall(instance, assignments) {
        return Some(format!("{group} below its minimum share"));
    }
    let received = per_request(assignments);
    for (a, applicant) in instance.applicants.iter().enumerate() {
        if !applicant.bundle {
            continue;
        }
        let whole = whole(instance, a);
        let got: Vec<u32> = whole
            .keys()
            .map(|c| {
                received
                    .get(&(applicant.id.as_str(), c.as_str()))
                    .copied()
                    .unwrap_or(0)
            })
            .collect();
        let none = got.iter().all(|g| *g == 0);
        let all = whole.values().zip(&got).all(|(units, g)| units == g);
        if !none && !all {
            return Some(format!("{}'s bundle split", applicant.id));
        }
    }
    None
}

/// What a bundle applicant receives when it is served whole: per component, the units it asks
/// (within what one organization may receive).
pub(super) fn whole(instance: &Instance, a: usize) -> std::collections::BTreeMap<String, u32> {
    let applicant = &instance.applicants[a];
    let mut whole = std::collections::BTreeMap::new();
    for request in &applicant.requests {
        let Some(component) = instance
            .components
            .iter()
            .find(|c| c.id == request.component)
        else {
            continue;
        };
        let units = request.units.min(component.per_org_max.unwrap_or(u32::MAX));
        let entry = whole.entry(request.component.clone()).or_insert(0);
        *entry = (*entry).max(units);
    }
    whole
}

fn per_request(assignments: &[Assignment]) -> HashMap<(&str, &str), u32> {
    assignments
        .iter()
        .map(|a| ((a.applicant.as_str(), a.component.as_str()), a.units))
        .collect()
}
