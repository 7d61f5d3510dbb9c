//! The demo data set (`assets/demo.toml`, fictional organizations written for this project), loaded
//! through the same parsing and domain rules as API input, in one transaction, once.

use anyhow::{Context, bail};
use chrono::{Duration, Utc};
use entity::{Language, PartnerRole, PostingKind, PostingStatus, PostingUnit, Role, Verification};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde::Deserialize;

use crate::domain::accounts;
use crate::domain::checkups::{self, CheckupInput};
use crate::domain::organizations;
use crate::domain::organizations::{OrganizationInput, VerificationRequest};
use crate::domain::outcomes::{self, FollowUpInput};
use crate::domain::partnerships::{self, CompleteInput, Proposal, ProposalRules, Step};
use crate::domain::postings::{self, EligibilityInput, PostingChanges, PostingInput};
use crate::domain::programs::{
    self, ApplicationInput, ComponentInput, PartnerInput, PriorityGroupInput, ProgramInput,
};
use crate::domain::taxonomy::Taxonomy;
use crate::domain::types::{Email, Password};
use crate::error::{AppError, FieldErrors};

const SOURCE: &str = include_str!("../assets/demo.toml");

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "demo-passerelle-2026";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    organization: Vec<DemoOrganization>,
    posting: Vec<DemoPosting>,
    #[serde(default)]
    program: Vec<DemoProgram>,
    #[serde(default)]
    application: Vec<DemoApplication>,
    #[serde(default)]
    checkup: Vec<DemoCheckup>,
    #[serde(default)]
    partnership: Vec<DemoPartnership>,
}

/// A completed partnership between two demo postings (by title), that both organizations agreed
/// to list: proposed by the need's organization, accepted, started `started_days_ago` and
/// completed `completed_days_ago` with its outcome report.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPartnership {
    need: String,
    offer: String,
    #[serde(default)]
    units: Option<i32>,
    message: String,
    started_days_ago: i64,
    completed_days_ago: i64,
    complete: CompleteInput,
    /// Follow-ups reported since, a few days after each fell due.
    #[serde(default)]
    follow_up: Vec<DemoFollowUp>,
}

/// A confirmed program's partnership delivered: the applicant's and the component's, by name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoProgramDelivery {
    org: String,
    component: String,
    #[serde(flatten)]
    delivery: Delivery,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFollowUp {
    due: String,
    values: std::collections::BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    note: Option<String>,
}

/// A digital check-up an organization's owner took `taken_days_ago`: every question at `level`
/// but those in `answers`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCheckup {
    org: String,
    taken_days_ago: i64,
    level: u8,
    #[serde(default)]
    answers: std::collections::BTreeMap<String, u8>,
}

/// A program: organizations by key, dates in days from today.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoProgram {
    key: String,
    lead: String,
    title: String,
    description: String,
    language: Language,
    /// The title and description in the other language.
    #[serde(default)]
    translation: Option<programs::TranslationInput>,
    opens_in_days: i64,
    closes_in_days: i64,
    /// Run the allocation and confirm it, then close the call.
    #[serde(default)]
    confirm: bool,
    #[serde(default)]
    questions: Vec<String>,
    #[serde(default)]
    eligibility: Option<EligibilityInput>,
    #[serde(default)]
    priority_groups: Vec<PriorityGroupInput>,
    #[serde(default)]
    milestones: Vec<DemoMilestone>,
    /// Indicators its cohort reports (codes of the indicator list).
    #[serde(default)]
    indicators: Vec<String>,
    /// Partnerships of its confirmed allocation that were delivered.
    #[serde(default)]
    delivered: Vec<DemoProgramDelivery>,
    partners: Vec<DemoPartner>,
    components: Vec<DemoComponent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMilestone {
    title: String,
    in_days: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPartner {
    org: String,
    role: PartnerRole,
    #[serde(default)]
    cap: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoComponent {
    partner: String,
    title: String,
    description: String,
    category: String,
    unit: PostingUnit,
    capacity: i32,
    #[serde(default)]
    per_org_max: Option<i32>,
    #[serde(default)]
    value_cad: Option<f64>,
}

/// An application: its program and organization by key, its components by title.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoApplication {
    program: String,
    org: String,
    #[serde(default)]
    groups: Vec<String>,
    answers: Vec<String>,
    requests: Vec<DemoRequest>,
    /// All the components or none.
    #[serde(default)]
    all_or_nothing: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoRequest {
    component: String,
    units: i32,
}

#[derive(Deserialize)]
struct DemoOrganization {
    key: String,
    owner_name: String,
    owner_email: String,
    #[serde(default)]
    verified: bool,
    #[serde(flatten)]
    profile: OrganizationInput,
}

#[derive(Deserialize)]
struct DemoPosting {
    org: String,
    kind: PostingKind,
    #[serde(default)]
    starts_in_days: Option<i64>,
    #[serde(default)]
    duration_days: Option<i64>,
    #[serde(default)]
    expires_in_days: Option<i64>,
    /// How long ago it was posted (the demo's history: needs that have waited).
    #[serde(default)]
    posted_days_ago: Option<i64>,
    #[serde(flatten)]
    input: PostingInput,
}

/// What the demo file holds, for messages and tests.
pub struct Loaded {
    pub organizations: usize,
    pub postings: usize,
}

fn describe(err: AppError) -> anyhow::Error {
    match err {
        AppError::Validation(errors) => anyhow::anyhow!("{}", field_list(&errors)),
        other => anyhow::anyhow!("{other}"),
    }
}

fn field_list(errors: &FieldErrors) -> String {
    errors
        .fields()
        .map(|(field, errors)| {
            let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
            format!("{field}: {}", messages.join("; "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads the demo set unless it is already there. Returns `None` when it was already loaded.
pub async fn load(db: &DatabaseConnection, taxonomy: &Taxonomy) -> anyhow::Result<Option<Loaded>> {
    let file: DemoFile = toml::from_str(SOURCE).context("assets/demo.toml is invalid")?;
    let Some(first) = file.organization.first() else {
        bail!("the demo set is empty")
    };
    let marker = Email::parse(&first.owner_email).map_err(|e| anyhow::anyhow!(e))?;
    if accounts::user_exists(db, &marker).await? {
        tracing::info!("demo data already loaded");
        return Ok(None);
    }
    let password = Password::parse(DEMO_PASSWORD, &[]).map_err(|e| anyhow::anyhow!(e))?;
    let password_hash = accounts::hash_password(&password).await?;
    let today = Utc::now().date_naive();
    let txn = crate::domain::begin_write(db).await?;
    let mut orgs = std::collections::HashMap::new();
    for demo in file.organization {
        let mut errors = FieldErrors::default();
        let new = demo.profile.parse("", taxonomy, &mut errors);
        let (Some(new), true) = (new, errors.is_empty()) else {
            bail!("demo organization {}: {}", demo.key, field_list(&errors));
        };
        let email = Email::parse(&demo.owner_email).map_err(|e| anyhow::anyhow!(e))?;
        // The owner reads Passerelle in the organization's first working language.
        let language = match new.languages.first() {
            Some(Language::Fr) => Language::Fr,
            _ => Language::En,
        };
        let user = accounts::create_user(
            &txn,
            &email,
            password_hash.clone(),
            demo.owner_name,
            language,
        )
        .await
        .map_err(describe)?;
        let org = organizations::create(&txn, None, new)
            .await
            .map_err(describe)?;
        accounts::add_member(&txn, user.id, org.id, Role::Owner)
            .await
            .map_err(describe)?;
        if demo.verified {
            organizations::set_verification(
                &txn,
                None,
                org.id,
                VerificationRequest {
                    decision: Verification::Verified,
                    note: None,
                    reason_code: None,
                },
            )
            .await
            .map_err(describe)?;
        }
        orgs.insert(demo.key, (org.id, user.id));
    }
    let organizations = orgs.len();
    let mut count = 0;
    // Each posting's id and its organization's owner, by title, for the demo partnerships.
    let mut by_title = std::collections::HashMap::new();
    for demo in file.posting {
        let title = demo.input.title.clone();
        let Some(&(org_id, owner_id)) = orgs.get(&demo.org) else {
            bail!(
                "demo posting {title:?} names unknown organization {}",
                demo.org
            );
        };
        let mut input = demo.input;
        if let Some(days) = demo.starts_in_days {
            let starts = today + Duration::days(days);
            input.starts_on = Some(starts);
            input.ends_on = demo
                .duration_days
                .map(|length| starts + Duration::days(length));
        }
        input.expires_at = demo
            .expires_in_days
            .map(|days| Utc::now() + Duration::days(days));
        let mut new = input
            .parse(demo.kind, taxonomy)
            .map_err(|e| describe(e).context(title.clone()))?;
        // Closed and fulfilled postings were open once: create them open, then close them.
        let final_status = new.status;
        let finished = !matches!(
            final_status,
            PostingStatus::Draft | PostingStatus::Open | PostingStatus::Paused
        );
        if finished {
            new.status = PostingStatus::Open;
        }
        let mut posting = postings::create(&txn, None, org_id, demo.kind, new)
            .await
            .map_err(|e| describe(e).context(title.clone()))?;
        by_title.insert(title.clone(), (posting.id, owner_id));
        if let Some(days) = demo.posted_days_ago {
            // History, not an edit: written as it would have been.
            let mut aged: entity::posting::ActiveModel = posting.into();
            aged.created_at = sea_orm::ActiveValue::Set(Utc::now() - Duration::days(days));
            posting = sea_orm::ActiveModelTrait::update(aged, &txn).await?;
        }
        if finished {
            let changes = PostingChanges {
                version: posting.version,
                status: Some(final_status),
                ..Default::default()
            };
            postings::update(&txn, owner_id, demo.kind, posting.id, changes)
                .await
                .map_err(|e| describe(e).context(title))?;
        }
        count += 1;
    }
    for program in file.program {
        load_program(&txn, taxonomy, &orgs, program, &file.application).await?;
    }
    for demo in file.checkup {
        load_checkup(&txn, &orgs, demo).await?;
    }
    for demo in file.partnership {
        load_partnership(&txn, taxonomy, &by_title, demo).await?;
    }
    txn.commit().await?;
    tracing::info!(organizations, postings = count, "demo data loaded");
    Ok(Some(Loaded {
        organizations,
        postings: count,
    }))
}

/// Takes a demo partnership from proposal to a completed, listed outcome, dated as it happened.
async fn load_partnership(
    txn: &sea_orm::DatabaseTransaction,
    taxonomy: &Taxonomy,
    by_title: &std::collections::HashMap<String, (i64, i64)>,
    demo: DemoPartnership,
) -> anyhow::Result<()> {
    let find = |title: &str| {
        by_title
            .get(title)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("demo partnership names unknown posting {title:?}"))
    };
    let ((need_id, need_owner), (offer_id, offer_owner)) = (find(&demo.need)?, find(&demo.offer)?);
    let context = || format!("demo partnership {:?}", demo.need);
    let proposal = Proposal {
        need_id,
        offer_id,
        message: demo.message.clone(),
        units: demo.units,
        score: None,
        reasons: None,
    };
    let rules = ProposalRules {
        max_pending: 10,
        expiry_days: 14,
    };
    let proposed = partnerships::propose(txn, need_owner, proposal, rules, taxonomy)
        .await
        .map_err(|e| describe(e).context(context()))?;
    let delivery = Delivery {
        started_days_ago: demo.started_days_ago,
        completed_days_ago: demo.completed_days_ago,
        complete: demo.complete,
        follow_up: demo.follow_up,
    };
    delivery
        .run(txn, proposed.id, offer_owner, need_owner, true)
        .await
        .with_context(context)?;
    partnerships::set_publicity(txn, offer_owner, proposed.id, true)
        .await
        .map_err(|e| describe(e).context(context()))?;
    Ok(())
}

/// How a demo partnership went after its proposal: started and completed so many days ago with
/// its outcome report, and the follow-ups reported since.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Delivery {
    started_days_ago: i64,
    completed_days_ago: i64,
    complete: CompleteInput,
    #[serde(default)]
    follow_up: Vec<DemoFollowUp>,
}

impl Delivery {
    /// Accepts (by `receiver`), starts and completes (by the need's `reporter`) a proposed
    /// partnership, dates it as it happened, and reports its follow-ups days after each fell due.
    async fn run(
        self,
        txn: &sea_orm::DatabaseTransaction,
        id: i64,
        receiver: i64,
        reporter: i64,
        public: bool,
    ) -> anyhow::Result<()> {
        let (outcome, note) = self.complete.parse().map_err(describe)?;
        for (user, step) in [
            (receiver, Step::Accept { note: None }),
            (reporter, Step::Start { note: None }),
            (
                reporter,
                Step::Complete {
                    outcome,
                    note,
                    public,
                },
            ),
        ] {
            partnerships::transition(txn, user, id, step)
                .await
                .map_err(describe)?;
        }
        let ago = |days: i64| Utc::now() - Duration::days(days);
        entity::partnership::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id),
            created_at: Set(ago(self.started_days_ago + 10)),
            responded_at: Set(Some(ago(self.started_days_ago + 7))),
            started_at: Set(Some(ago(self.started_days_ago))),
            completed_at: Set(Some(ago(self.completed_days_ago))),
            ..Default::default()
        }
        .update(txn)
        .await?;
        use entity::follow_up::{Column, Entity};
        use sea_orm::sea_query::Expr;
        let completed = ago(self.completed_days_ago);
        for due in entity::FollowUpDue::ALL {
            Entity::update_many()
                .col_expr(Column::DueAt, Expr::val(outcomes::due_at(*due, completed)))
                .filter(Column::PartnershipId.eq(id))
                .filter(Column::Due.eq(*due))
                .exec(txn)
                .await?;
        }
        for follow in self.follow_up {
            let input = FollowUpInput {
                values: follow.values,
                note: follow.note,
            };
            let reported = outcomes::report(txn, reporter, id, &follow.due, input)
                .await
                .map_err(describe)?;
            Entity::update_many()
                .col_expr(
                    Column::ReportedAt,
                    Expr::val(reported.due_at + Duration::days(4)),
                )
                .filter(Column::PartnershipId.eq(id))
                .filter(Column::Due.eq(reported.due))
                .exec(txn)
                .await?;
        }
        Ok(())
    }
}

/// Records a demo check-up, dated as it would have been taken.
async fn load_checkup(
    txn: &sea_orm::DatabaseTransaction,
    orgs: &std::collections::HashMap<String, (i64, i64)>,
    demo: DemoCheckup,
) -> anyhow::Result<()> {
    let Some(&(org_id, owner_id)) = orgs.get(&demo.org) else {
        bail!("demo check-up names unknown organization {}", demo.org);
    };
    let answers = checkups::bank()
        .questions
        .iter()
        .map(|q| {
            let level = demo.answers.get(&q.code).copied().unwrap_or(demo.level);
            (q.code.clone(), serde_json::json!(level))
        })
        .collect();
    let view = checkups::take(txn, owner_id, org_id, CheckupInput { answers })
        .await
        .map_err(|e| describe(e).context(format!("check-up of {}", demo.org)))?;
    entity::checkup::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(view.id),
        created_at: sea_orm::ActiveValue::Set(Utc::now() - Duration::days(demo.taken_days_ago)),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}

/// Creates a demo program, its applications, and for a program marked `confirm` its confirmed
/// allocation and a closed call.
async fn load_program(
    txn: &sea_orm::DatabaseTransaction,
    taxonomy: &Taxonomy,
    orgs: &std::collections::HashMap<String, (i64, i64)>,
    demo: DemoProgram,
    applications: &[DemoApplication],
) -> anyhow::Result<()> {
    let org = |key: &str| {
        orgs.get(key)
            .copied()
            .with_context(|| format!("demo program {} names unknown organization {key}", demo.key))
    };
    let (lead_org, lead_user) = org(&demo.lead)?;
    let now = Utc::now();
    let today = now.date_naive();
    let input = ProgramInput {
        lead_org_id: Some(lead_org),
        title: demo.title,
        description: demo.description,
        language: demo.language,
        translation: demo.translation,
        opens_at: now + Duration::days(demo.opens_in_days),
        closes_at: now + Duration::days(demo.closes_in_days),
        eligibility: demo.eligibility,
        sizes: Vec::new(),
        priority_groups: demo.priority_groups,
        questions: demo.questions,
        milestones: demo
            .milestones
            .into_iter()
            .map(|m| entity::program::Milestone {
                title: m.title,
                on: today + Duration::days(m.in_days),
            })
            .collect(),
        indicators: demo.indicators,
        diminishing: None,
        fairness: None,
        partners: demo
            .partners
            .iter()
            .map(|p| {
                Ok(PartnerInput {
                    organization_id: org(&p.org)?.0,
                    role: p.role,
                    cap: p.cap,
                })
            })
            .collect::<anyhow::Result<_>>()?,
        components: demo
            .components
            .into_iter()
            .map(|c| {
                Ok(ComponentInput {
                    partner_org_id: org(&c.partner)?.0,
                    title: c.title,
                    description: c.description,
                    category: c.category,
                    unit: Some(c.unit),
                    capacity: c.capacity,
                    per_org_max: c.per_org_max,
                    value_cad: c.value_cad,
                })
            })
            .collect::<anyhow::Result<_>>()?,
    };
    let new = input
        .parse(taxonomy)
        .map_err(|e| describe(e).context(demo.key.clone()))?;
    let program = programs::create(txn, lead_user, new)
        .await
        .map_err(|e| describe(e).context(demo.key.clone()))?;
    let view = programs::get(txn, Some(lead_user), program.id)
        .await
        .map_err(describe)?;
    for demo_application in applications.iter().filter(|a| a.program == demo.key) {
        let (org_id, user_id) = org(&demo_application.org)?;
        let requests = demo_application
            .requests
            .iter()
            .map(|r| {
                let component = view
                    .components
                    .iter()
                    .find(|c| c.component.title == r.component)
                    .with_context(|| {
                        format!("demo application names no component {:?}", r.component)
                    })?;
                Ok(entity::program_application::ComponentRequest {
                    component_id: component.component.id,
                    units: r.units,
                    need_id: None,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let input = ApplicationInput {
            organization_id: Some(org_id),
            requests,
            answers: demo_application.answers.clone(),
            groups: demo_application.groups.clone(),
            max_units: None,
            all_or_nothing: demo_application.all_or_nothing,
            submit: true,
        };
        programs::apply(txn, user_id, program.id, input, taxonomy)
            .await
            .map_err(|e| describe(e).context(demo_application.org.clone()))?;
    }
    if demo.confirm {
        let fit = |need: &_, need_org: &_, offer: &_, offer_org: &_| {
            crate::matching::fit(None, taxonomy, need, need_org, offer, offer_org)
        };
        let (run, _) = programs::run(txn, lead_user, program.id, Default::default(), &fit)
            .await
            .map_err(describe)?;
        let proposed = programs::confirm(txn, lead_user, run.id, 14)
            .await
            .map_err(describe)?;
        for delivered in demo.delivered {
            let (org_id, user_id) = org(&delivered.org)?;
            let component = view
                .components
                .iter()
                .find(|c| c.component.title == delivered.component)
                .with_context(|| format!("no component {:?}", delivered.component))?;
            let p = proposed
                .iter()
                .find(|p| p.need_org_id == org_id && p.component_id == Some(component.component.id))
                .with_context(|| {
                    format!(
                        "the allocation gave {} no {:?}",
                        delivered.org, delivered.component
                    )
                })?;
            delivered
                .delivery
                .run(txn, p.id, user_id, user_id, false)
                .await
                .with_context(|| {
                    format!("{} delivered {:?}", delivered.org, delivered.component)
                })?;
        }
        // The call of a program whose allocation is confirmed is over.
        let mut closed: entity::program::ActiveModel = program.into();
        closed.closes_at = Set(now - Duration::days(1));
        closed.update(txn).await?;
    }
    Ok(())
}
