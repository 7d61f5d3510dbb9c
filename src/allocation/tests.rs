use proptest::prelude::*;

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

/// Every allocation of a small instance, tried one by one: the best that keeps every limit.
fn brute_force(instance: &Instance) -> f64 {
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
    let mut best = 0.0f64;
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
            best = best.max(value(instance, &assignments));
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

fn instances() -> impl Strategy<Value = Instance> {
    let partners = prop::collection::vec(prop::option::of(0u32..5), 1..3);
    let components = prop::collection::vec((0usize..2, 0u32..5, prop::option::of(1u32..3)), 1..3);
    let applicants = prop::collection::vec(
        (
            prop::bool::ANY,
            prop::option::of(0u32..4),
            prop::collection::vec((0usize..2, 1u32..4, -0.2f64..1.0), 1..3),
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
                            .map(|(component, units, fit)| Request {
                                component: components[component % components.len()].id.clone(),
                                units,
                                fit,
                            })
                            .collect(),
                    })
                    .collect();
                Instance {
                    partners,
                    components,
                    applicants,
                    priority: BTreeMap::from([("rural".to_owned(), rural)]),
                    diminishing,
                    fairness,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_solver_finds_the_brute_force_optimum_and_keeps_every_limit(instance in instances()) {
        let allocation = solve(&instance).unwrap();
        prop_assert_eq!(violation(&instance, &allocation.assignments), None);
        let best = brute_force(&instance);
        prop_assert!(
            (allocation.value - best).abs() < 1e-6,
            "solver {} against brute force {}", allocation.value, best
        );
    }
}
