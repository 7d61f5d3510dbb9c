use proptest::prelude::*;

use super::simplex::Circulation;
use super::*;

fn example() -> Instance {
    serde_json::from_value(serde_json::json!({
        "partners":   [{"id": "bank", "capacity": 40}],
        "components": [{"id": "training", "partner": "bank", "capacity": 30, "per_org_max": 2}],
        "applicants": [{"id": "org-1", "groups": ["rural"], "max_units": 6,
                        "requests": [{"component": "training", "units": 2, "fit": 0.82}]}],
        "priority":   {"rural": 0.1},
        "diminishing": 0.5,
        "fairness": 0.05
    }))
    .unwrap()
}

#[test]
fn the_issue_example_gives_both_units() {
    let allocation = solve(&example()).unwrap();
    assert_eq!(
        allocation.assignments,
        [Assignment {
            applicant: "org-1".into(),
            component: "training".into(),
            units: 2
        }]
    );
    // 0.92 + 0.46 - 0.05 × 2 × 1 / 2
    assert!(
        (allocation.value - 1.33).abs() < 1e-9,
        "{}",
        allocation.value
    );
}

#[test]
fn a_unit_that_costs_more_fairness_than_it_is_worth_is_not_given() {
    let mut instance = example();
    instance.fairness = 1.0;
    let allocation = solve(&instance).unwrap();
    assert_eq!(
        allocation.assignments[0].units, 1,
        "the second unit is worth 0.46, costs 1"
    );
}

#[test]
fn bad_instances_are_refused_with_what_is_wrong() {
    let mut instance = example();
    instance.components[0].partner = "nobody".into();
    assert!(matches!(
        solve(&instance),
        Err(InstanceError::UnknownPartner { .. })
    ));
    let mut instance = example();
    instance.diminishing = 1.5;
    assert!(matches!(
        solve(&instance),
        Err(InstanceError::OutOfRange { .. })
    ));
}

fn instances() -> impl Strategy<Value = Instance> {
    let partners = prop::collection::vec(prop::option::of(0u32..5), 1..3);
    let components = prop::collection::vec((0usize..2, 0u32..5, prop::option::of(1u32..3)), 1..3);
    let applicants = prop::collection::vec(
        (
            prop::bool::ANY,
            prop::option::of(0u32..4),
            prop::collection::vec((0usize..2, 1u32..4, -0.2f64..1.0, 0u32..3), 1..3),
        ),
        1..4,
    );
    (
        partners,
        components,
        applicants,
        0.0f64..=1.0,
        0.0f64..0.6,
        0.0f64..0.3,
    )
        .prop_map(
            |(partners, components, applicants, diminishing, fairness, rural)| {
                let applicants = applicants
                    .into_iter()
                    .map(|(is_rural, max_units, requests)| {
                        let requests = requests
                            .into_iter()
                            // A pin one time in three, at most what was asked.
                            .map(|(c, units, fit, pin)| {
                                (c, units, fit, if pin == 2 { units.min(1) } else { 0 })
                            })
                            .collect();
                        (is_rural, max_units, requests)
                    })
                    .collect();
                assemble(
                    partners,
                    components,
                    applicants,
                    rural,
                    diminishing,
                    fairness,
                )
            },
        )
}

/// An instance from drawn numbers: partners' caps; components' partner (by place), capacity and
/// maximum per applicant; applicants' rural membership, maximum and requests (component by place,
/// units, fit, pinned).
#[allow(clippy::type_complexity)]
fn assemble(
    partners: Vec<Option<u32>>,
    components: Vec<(usize, u32, Option<u32>)>,
    applicants: Vec<(bool, Option<u32>, Vec<(usize, u32, f64, u32)>)>,
    rural: f64,
    diminishing: f64,
    fairness: f64,
) -> Instance {
    let partners: Vec<Partner> = partners
        .into_iter()
        .enumerate()
        .map(|(i, capacity)| Partner {
            id: format!("p{i}"),
            capacity,
        })
        .collect();
    let components: Vec<Component> = components
        .into_iter()
        .enumerate()
        .map(|(i, (partner, capacity, per_org_max))| Component {
            id: format!("c{i}"),
            partner: partners[partner % partners.len()].id.clone(),
            capacity,
            per_org_max,
        })
        .collect();
    let applicants = applicants
        .into_iter()
        .enumerate()
        .map(|(i, (is_rural, max_units, requests))| Applicant {
            id: format!("a{i}"),
            groups: if is_rural {
                vec!["rural".into()]
            } else {
                Vec::new()
            },
            max_units,
            requests: requests
                .into_iter()
                .map(|(component, units, fit, pinned)| Request {
                    component: components[component % components.len()].id.clone(),
                    units,
                    fit,
                    pinned,
                })
                .collect(),
            bundle: false,
        })
        .collect();
    Instance {
        partners,
        components,
        applicants,
        priority: BTreeMap::from([("rural".to_owned(), rural)]),
        diminishing,
        fairness,
        min_shares: Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_solver_finds_the_brute_force_optimum_and_keeps_every_limit(instance in instances()) {
        match (solve(&instance), brute_force(&instance)) {
            (Ok(allocation), Some(best)) => {
                prop_assert_eq!(violation(&instance, &allocation.assignments), None);
                prop_assert!(
                    (allocation.value - best).abs() < 1e-6,
                    "solver {} against brute force {}", allocation.value, best
                );
            }
            (Err(InstanceError::Pinned { .. }), None) => {}
            (solved, best) => prop_assert!(false, "solver {:?} against brute force {:?}", solved, best),
        }
    }
}

/// The least cost of a circulation by cycle cancelling (Bellman-Ford finds a cycle that costs
/// less than nothing in the residual network, which is then pushed full): slow, simple, and
/// nothing like the network simplex.
fn cycle_cancelling(network: &Circulation) -> i64 {
    let arcs = network.source.len();
    let mut flow = vec![0i64; arcs];
    // Residual arc r: arc r / 2, forward when r is even.
    let ends = |r: usize| {
        let (from, to) = (network.source[r / 2], network.target[r / 2]);
        if r.is_multiple_of(2) {
            (from, to)
        } else {
            (to, from)
        }
    };
    loop {
        let room = |flow: &[i64], r: usize| {
            if r.is_multiple_of(2) {
                network.capacity[r / 2] - flow[r / 2]
            } else {
                flow[r / 2]
            }
        };
        let cost = |r: usize| {
            if r.is_multiple_of(2) {
                network.cost[r / 2]
            } else {
                -network.cost[r / 2]
            }
        };
        let mut distance = vec![0i64; network.nodes];
        let mut via = vec![usize::MAX; network.nodes];
        let mut last = None;
        for _ in 0..network.nodes {
            last = None;
            for r in 0..2 * arcs {
                let (from, to) = ends(r);
                if room(&flow, r) > 0 && distance[from] + cost(r) < distance[to] {
                    distance[to] = distance[from] + cost(r);
                    via[to] = r;
                    last = Some(to);
                }
            }
        }
        let Some(mut node) = last else {
            return (0..arcs).map(|e| flow[e] * network.cost[e]).sum();
        };
        for _ in 0..network.nodes {
            node = ends(via[node]).0;
        }
        let mut cycle = Vec::new();
        let start = node;
        loop {
            let r = via[node];
            cycle.push(r);
            node = ends(r).0;
            if node == start {
                break;
            }
        }
        let push = cycle.iter().map(|&r| room(&flow, r)).min().unwrap();
        for r in cycle {
            if r.is_multiple_of(2) {
                flow[r / 2] += push;
            } else {
                flow[r / 2] -= push;
            }
        }
    }
}

fn networks() -> impl Strategy<Value = Circulation> {
    (2usize..8).prop_flat_map(|nodes| {
        prop::collection::vec((0..nodes, 0..nodes, 0i64..5, -10i64..10), 1..24).prop_map(
            move |arcs| {
                let mut network = Circulation::new(nodes);
                for (from, to, capacity, cost) in arcs {
                    if from != to {
                        network.add(from, to, capacity, cost);
                    }
                }
                network
            },
        )
    })
}

/// Larger instances than the brute force can try: up to 14 applicants and 5 components.
fn medium_instances() -> impl Strategy<Value = Instance> {
    (
        prop::collection::vec(prop::option::of(0u32..12), 1..3),
        prop::collection::vec((0usize..3, 0u32..8, prop::option::of(1u32..4)), 1..6),
        prop::collection::vec(
            (
                prop::bool::ANY,
                prop::option::of(0u32..6),
                prop::collection::vec((0usize..6, 1u32..5, -0.2f64..1.0), 1..5),
            ),
            1..15,
        ),
        0.0f64..=1.0,
        0.0f64..0.4,
    )
        .prop_map(
            |(partners, components, applicants, diminishing, fairness)| {
                let applicants = applicants
                    .into_iter()
                    .map(|(rural, max_units, requests)| {
                        let requests = requests
                            .into_iter()
                            .map(|(c, units, fit)| (c, units, fit, 0))
                            .collect();
                        (rural, max_units, requests)
                    })
                    .collect();
                assemble(
                    partners,
                    components,
                    applicants,
                    0.15,
                    diminishing,
                    fairness,
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn the_network_simplex_finds_the_least_cost_circulation(network in networks()) {
        let expected = cycle_cancelling(&network);
        let flow = network.clone().solve();
        let mut balance = vec![0i64; network.nodes];
        for e in 0..network.source.len() {
            prop_assert!((0..=network.capacity[e]).contains(&flow[e]), "arc {} carries {}", e, flow[e]);
            balance[network.source[e]] -= flow[e];
            balance[network.target[e]] += flow[e];
        }
        prop_assert!(balance.iter().all(|b| *b == 0), "not a circulation: {:?}", balance);
        let cost: i64 = (0..flow.len()).map(|e| flow[e] * network.cost[e]).sum();
        prop_assert_eq!(cost, expected);
    }

    #[test]
    fn the_solver_finds_the_optimum_of_larger_instances(instance in medium_instances()) {
        let allocation = solve(&instance).unwrap();
        prop_assert_eq!(violation(&instance, &allocation.assignments), None);
        let (network, _, _) = network(&instance, &[], None);
        let best = -(cycle_cancelling(&network) as f64) / SCALE;
        prop_assert!(
            (allocation.value - best).abs() < 1e-6,
            "solver {} against cycle cancelling {}", allocation.value, best
        );
    }
}

/// Small instances where some applicants ask for bundles and, half the time, rural applicants
/// must receive a minimum share of the units (pins only on applicants without a bundle).
fn constrained_instances() -> impl Strategy<Value = Instance> {
    (
        instances(),
        prop::collection::vec(prop::bool::weighted(0.3), 4),
        prop::option::weighted(0.7, 0.2f64..0.9),
    )
        .prop_map(|(mut instance, bundles, share)| {
            for (applicant, bundle) in instance.applicants.iter_mut().zip(bundles) {
                let pinned = applicant.requests.iter().any(|r| r.pinned > 0);
                applicant.bundle = bundle && !pinned;
            }
            if let Some(share) = share {
                instance.min_shares = vec![MinShare {
                    group: "rural".into(),
                    share,
                }];
            }
            instance
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Bundles and minimum shares are met, every limit kept; the value is never above the true
    /// optimum with them (the brute force) and `relaxed_value` is the exact optimum without them.
    #[test]
    fn bundles_and_minimum_shares_are_met_within_their_bounds(instance in constrained_instances()) {
        let mut relaxed = instance.clone();
        relaxed.min_shares.clear();
        for applicant in &mut relaxed.applicants {
            applicant.bundle = false;
        }
        let unconstrained = brute_force(&relaxed);
        match (solve(&instance), brute_force(&instance)) {
            (Ok(allocation), Some(best)) => {
                prop_assert_eq!(violation(&instance, &allocation.assignments), None);
                prop_assert!(allocation.value <= best + 1e-6, "{} above the optimum {}", allocation.value, best);
                let bound = allocation.relaxed_value.unwrap_or(allocation.value);
                prop_assert!((bound - unconstrained.unwrap()).abs() < 1e-6);
                // A share alone is solved exactly (every count of the group's units is tried).
                if !instance.applicants.iter().any(|a| a.bundle) {
                    prop_assert!(
                        (allocation.value - best).abs() < 1e-6,
                        "{} against the optimum {}", allocation.value, best
                    );
                }
            }
            (Err(InstanceError::Pinned { .. }), _) => {}
            (solved, best) => prop_assert!(false, "solver {:?} against brute force {:?}", solved, best),
        }
    }
}

#[test]
fn a_bundle_is_given_whole_or_not_at_all() {
    // Two laptops and two seats, or nothing: one seat is left, so the bundle cannot be whole.
    let instance: Instance = serde_json::from_value(serde_json::json!({
        "partners":   [{"id": "bank"}],
        "components": [{"id": "laptops", "partner": "bank", "capacity": 5},
                       {"id": "training", "partner": "bank", "capacity": 1}],
        "applicants": [{"id": "bundled", "bundle": true, "requests": [
                           {"component": "laptops", "units": 2, "fit": 0.9},
                           {"component": "training", "units": 2, "fit": 0.9}]},
                       {"id": "other", "requests": [{"component": "laptops", "units": 1, "fit": 0.3}]}]
    }))
    .unwrap();
    let allocation = solve(&instance).unwrap();
    assert_eq!(
        allocation.assignments,
        [Assignment {
            applicant: "other".into(),
            component: "laptops".into(),
            units: 1
        }]
    );
    // Without the bundle: 2 laptops and 1 seat to the first (2.7), 1 laptop to the other.
    assert!((allocation.relaxed_value.unwrap() - 3.0).abs() < 1e-9);
    assert!((allocation.value - 0.3).abs() < 1e-9);
}

#[test]
fn a_minimum_share_moves_units_to_the_group() {
    // Four seats; the city applicants fit better, but half must go to rural ones.
    let instance: Instance = serde_json::from_value(serde_json::json!({
        "partners":   [{"id": "college"}],
        "components": [{"id": "training", "partner": "college", "capacity": 4}],
        "applicants": [{"id": "city", "requests": [{"component": "training", "units": 4, "fit": 0.9}]},
                       {"id": "rural", "groups": ["rural"],
                        "requests": [{"component": "training", "units": 4, "fit": 0.4}]}],
        "min_shares": [{"group": "rural", "share": 0.5}]
    }))
    .unwrap();
    let allocation = solve(&instance).unwrap();
    let units = |who: &str| {
        allocation
            .assignments
            .iter()
            .filter(|a| a.applicant == who)
            .map(|a| a.units)
            .sum::<u32>()
    };
    assert_eq!((units("city"), units("rural")), (2, 2), "{allocation:?}");
    assert!((allocation.value - 2.6).abs() < 1e-9);
    assert!((allocation.relaxed_value.unwrap() - 3.6).abs() < 1e-9);
}
