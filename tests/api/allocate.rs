//! `passerelle allocate INSTANCE.json`: the solver alone, as a command.

use std::io::Write;
use std::process::{Command, Stdio};

fn allocate(instance: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["allocate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(instance.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_command_prints_the_allocation_and_its_value() {
    let output = allocate(
        r#"{"partners":   [{"id": "bank", "capacity": 3}],
            "components": [{"id": "training", "partner": "bank", "capacity": 30, "per_org_max": 2},
                           {"id": "laptops", "partner": "bank", "capacity": 5}],
            "applicants": [{"id": "org-1", "groups": ["rural"], "max_units": 6,
                            "requests": [{"component": "training", "units": 2, "fit": 0.82}]},
                           {"id": "org-2", "requests": [{"component": "laptops", "units": 4, "fit": 0.5}]}],
            "priority":   {"rural": 0.1},
            "diminishing": 0.5,
            "fairness": 0.05}"#,
    );
    assert!(output.status.success(), "{output:?}");
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // The bank gives 3 units in all: org-1's two trainings (0.92, then 0.46 less 0.05) are worth
    // more than org-2's second laptop (0.25 less 0.05); org-2 gets its first laptop (0.5).
    let assignments = printed["assignments"].as_array().unwrap();
    let units = |applicant: &str| {
        assignments
            .iter()
            .filter(|a| a["applicant"] == applicant)
            .map(|a| a["units"].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!((units("org-1"), units("org-2")), (2, 1), "{printed}");
    let value = printed["value"].as_f64().unwrap();
    assert!((value - (0.92 + 0.46 - 0.05 + 0.5)).abs() < 1e-9, "{value}");
}

#[test]
fn a_bad_instance_says_what_is_wrong() {
    let output = allocate(
        r#"{"partners": [], "components": [{"id": "x", "partner": "nope", "capacity": 1}], "applicants": []}"#,
    );
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains(r#"partner "nope""#), "{said}");
}
