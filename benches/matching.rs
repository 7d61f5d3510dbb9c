//! Matching quality and speed. See `benches/README.md`.
//!
//! ```text
//! cargo bench --bench matching -- quality            # NYC Service, cross-language, eligibility
//! cargo bench --bench matching -- speed [--postings N]
//! ```
//!
//! Every system runs the real code path: postings and organizations are written to a SQLite
//! database in a temporary directory, the search index is built from it as `passerelle reindex`
//! does, and matches come from `passerelle::matching::find`.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use entity::{
    Eligibility, Language, OrgKind, PostingKind, PostingStatus, SizeBand, StringList, TaxonomyKind,
    organization, posting,
};
use passerelle::config::Config;
use passerelle::domain::accounts::Viewer;
use passerelle::domain::eligibility::{self, Pair};
use passerelle::domain::taxonomy::Taxonomy;
use passerelle::matching::{self, MatchOptions, tags};
use passerelle::search::{SearchHandle, SimilarRequest};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use sea_orm::{DatabaseConnection, EntityTrait, TransactionTrait};

// Each bench uses part of the shared helpers.
#[allow(dead_code)]
#[path = "common/measure.rs"]
mod measure;
#[allow(dead_code)]
#[path = "common/metrics.rs"]
mod metrics;
#[allow(dead_code)]
#[path = "common/records.rs"]
mod records;
use measure::{ms, peak_memory_mib, percentile, shared_data};
use metrics::{Gain, Relevant, field, ndcg, read_csv, recall};
use records::{PROVINCES, organization};

const NYC: &str =
    "nyc_service_volunteer/NYC_Service__Volunteer_Opportunities__Historical__20250626.csv";
const AT: usize = 10;
/// Category given to imported postings when the text names none with confidence.
const FALLBACK_CATEGORY: &str = "volunteer_expertise";

const USAGE: &str = "usage:
  cargo bench --bench matching -- quality [nyc|cross-language|eligibility]
  cargo bench --bench matching -- speed [--postings N]";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let runtime = tokio::runtime::Runtime::new()?;
    match args.first().map(String::as_str) {
        Some("quality") => runtime.block_on(quality(args.get(1).map(String::as_str))),
        Some("speed") => {
            let postings = match args.get(1..) {
                Some([flag, n]) if flag == "--postings" => n.parse()?,
                Some([]) | None => 1_000_000,
                _ => anyhow::bail!("{USAGE}"),
            };
            runtime.block_on(speed(postings))
        }
        _ => anyhow::bail!("{USAGE}"),
    }
}

/// A database and an index holding the given records, built the way the server builds them.
struct World {
    db: DatabaseConnection,
    search: SearchHandle,
    taxonomy: Arc<Taxonomy>,
    _dir: tempfile::TempDir,
}

impl World {
    async fn empty() -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        let db = passerelle::db::connect(&config).await?;
        passerelle::db::migrate(&db).await?;
        let taxonomy = Arc::new(Taxonomy::builtin()?);
        taxonomy.sync(&db).await?;
        let search = Self::index(dir.path(), &db, &taxonomy).await?;
        Ok(Self {
            db,
            search,
            taxonomy,
            _dir: dir,
        })
    }

    async fn index(
        dir: &Path,
        db: &DatabaseConnection,
        taxonomy: &Arc<Taxonomy>,
    ) -> anyhow::Result<SearchHandle> {
        let (search, _writer) =
            passerelle::search::open(&dir.join("index"), db, taxonomy.clone(), true).await?;
        Ok(search)
    }

    async fn with(
        organizations: Vec<organization::Model>,
        postings: Vec<posting::Model>,
    ) -> anyhow::Result<Self> {
        let mut world = Self::empty().await?;
        let txn = world.db.begin().await?;
        for chunk in organizations.chunks(1_000) {
            organization::Entity::insert_many(
                chunk.iter().cloned().map(organization::ActiveModel::from),
            )
            .exec_without_returning(&txn)
            .await?;
        }
        for chunk in postings.chunks(1_000) {
            posting::Entity::insert_many(chunk.iter().cloned().map(posting::ActiveModel::from))
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        world.search = Self::index(world._dir.path(), &world.db, &world.taxonomy).await?;
        Ok(world)
    }

    async fn matches(
        &self,
        kind: PostingKind,
        id: i64,
        limit: usize,
        explain_excluded: bool,
    ) -> anyhow::Result<matching::Matches> {
        let viewer = Viewer {
            is_admin: true,
            ..Default::default()
        };
        let options = MatchOptions {
            limit,
            language: Language::En,
            explain_excluded,
            max_pending: 5,
        };
        matching::find(
            &self.db,
            &self.search,
            &self.taxonomy,
            &viewer,
            kind,
            id,
            options,
        )
        .await
        .map_err(|err| anyhow::anyhow!("{err}"))
    }

    /// The text-only ranker: BM25 over the posting's words, no taxonomy, no rules.
    fn text_only(&self, subject: &posting::Model, limit: usize) -> anyhow::Result<Vec<i64>> {
        let similar = self.search.similar_blocking(&SimilarRequest {
            title: subject.title.clone(),
            description: subject.description.clone(),
            language: Some(subject.language),
            kind: Some(PostingKind::Offer),
            exclude_organization: Some(subject.organization_id),
            limit,
            text_only: true,
            ..Default::default()
        })?;
        Ok(similar.into_iter().map(|s| s.id).collect())
    }
}

/// A generated posting with its text and tags; the rest as `records::posting` sets it.
#[allow(clippy::too_many_arguments)]
fn posting(
    id: i64,
    organization_id: i64,
    kind: PostingKind,
    title: &str,
    description: &str,
    language: Language,
    category: &str,
    skills: Vec<String>,
) -> posting::Model {
    posting::Model {
        title: title.to_owned(),
        description: description.to_owned(),
        language,
        category: category.to_owned(),
        skills: StringList(skills),
        ..records::posting(id, organization_id, kind)
    }
}

/// Mean of per-query values, as a table cell.
fn mean(values: &[f64]) -> String {
    if values.is_empty() {
        return "–".into();
    }
    format!("{:.3}", values.iter().sum::<f64>() / values.len() as f64)
}

fn precision(ranking: &[String], grades: &HashMap<String, u32>, k: usize) -> f64 {
    let hits = ranking
        .iter()
        .take(k)
        .filter(|id| grades.get(*id).is_some_and(|g| *g > 0))
        .count();
    hits as f64 / k as f64
}

/// All three evaluations, or the one named.
async fn quality(only: Option<&str>) -> anyhow::Result<()> {
    println!("## Matching quality\n");
    if only.is_none_or(|o| o == "nyc")
        && let Some(data) = shared_data(&[NYC], "NYC Service")
    {
        nyc(&data).await?;
    }
    if only.is_none_or(|o| o == "cross-language") {
        cross_language().await?;
    }
    if only.is_none_or(|o| o == "eligibility") {
        eligibility_check().await?;
    }
    Ok(())
}

/// Each NYC Service listing is a need against all the others as offers; relevant = the same
/// `category_desc`.
async fn nyc(data: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let rows = read_csv(&data.join(NYC))?;
    struct Listing {
        title: String,
        summary: String,
        category: String,
        org: String,
    }
    let listings: Vec<Listing> = rows
        .iter()
        .map(|row| Listing {
            title: field(row, "title").to_owned(),
            summary: field(row, "summary").to_owned(),
            category: field(row, "category_desc").to_owned(),
            org: field(row, "org_title").to_owned(),
        })
        .filter(|l| !l.title.is_empty())
        .collect();

    // Imported postings have no taxonomy category: the suggestion fills it in, as it would for
    // any import, from an index of the listings themselves.
    let mut orgs: Vec<organization::Model> = Vec::new();
    let mut org_ids: HashMap<&str, i64> = HashMap::new();
    for listing in &listings {
        if !org_ids.contains_key(listing.org.as_str()) {
            let id = orgs.len() as i64 + 1;
            org_ids.insert(&listing.org, id);
            orgs.push(organization(id, &listing.org, OrgKind::Nonprofit, "ON"));
        }
    }
    let provisional: Vec<posting::Model> = listings
        .iter()
        .enumerate()
        .map(|(i, l)| {
            posting(
                i as i64 + 1,
                org_ids[l.org.as_str()],
                PostingKind::Offer,
                &l.title,
                &l.summary,
                Language::En,
                FALLBACK_CATEGORY,
                Vec::new(),
            )
        })
        .collect();
    let draft = World::with(orgs.clone(), provisional).await?;
    let mut tagged = Vec::new();
    for listing in &listings {
        let tags = tags::suggest(
            &draft.search,
            &draft.taxonomy,
            &listing.title,
            &listing.summary,
            Some(Language::En),
            Language::En,
        )?;
        let category = tags
            .confident_category(0.3)
            .map_or(FALLBACK_CATEGORY.to_owned(), |c| c.code.clone());
        let skills: Vec<String> = tags.skills.iter().map(|s| s.code.clone()).collect();
        tagged.push((category, skills));
    }
    drop(draft);

    // Offers are the listings; needs are the same listings, each in an organization of its own.
    let n = listings.len() as i64;
    let mut postings = Vec::new();
    for (i, (listing, (category, skills))) in listings.iter().zip(&tagged).enumerate() {
        let id = i as i64 + 1;
        postings.push(posting(
            id,
            org_ids[listing.org.as_str()],
            PostingKind::Offer,
            &listing.title,
            &listing.summary,
            Language::En,
            category,
            skills.clone(),
        ));
        let need_org = orgs.len() as i64 + 1;
        orgs.push(organization(
            need_org,
            &format!("Needs {id}"),
            OrgKind::Nonprofit,
            "ON",
        ));
        postings.push(posting(
            n + id,
            need_org,
            PostingKind::Need,
            &listing.title,
            &listing.summary,
            Language::En,
            category,
            skills.clone(),
        ));
    }
    let world = World::with(orgs, postings.clone()).await?;
    let mut rng = StdRng::seed_from_u64(2026);
    let offer_ids: Vec<i64> = (1..=n).collect();
    let (mut full, mut text, mut random) =
        (Scores::default(), Scores::default(), Scores::default());
    let mut queries = 0;
    for (i, listing) in listings.iter().enumerate() {
        if listing.category.is_empty() {
            continue;
        }
        let own = i as i64 + 1;
        // Relevant: the other listings of the same NYC category.
        let grades: HashMap<String, u32> = listings
            .iter()
            .enumerate()
            .filter(|(j, other)| *j != i && other.category == listing.category)
            .map(|(j, _)| ((j + 1).to_string(), 1))
            .collect();
        if grades.is_empty() {
            continue;
        }
        queries += 1;
        let subject = &postings[(2 * i) + 1];
        let found = world
            .matches(PostingKind::Need, subject.id, AT + 1, false)
            .await?;
        let ranked: Vec<String> = found
            .matches
            .iter()
            .map(|m| m.posting.id)
            .filter(|id| *id != own)
            .map(|id| id.to_string())
            .collect();
        full.add(&ranked, &grades);
        let ranked: Vec<String> = world
            .text_only(subject, AT + 1)?
            .into_iter()
            .filter(|id| *id != own)
            .map(|id| id.to_string())
            .collect();
        text.add(&ranked, &grades);
        let ranked: Vec<String> = offer_ids
            .choose_multiple(&mut rng, AT + 1)
            .filter(|id| **id != own)
            .map(|id| id.to_string())
            .collect();
        random.add(&ranked, &grades);
    }
    let categories: HashSet<&str> = tagged.iter().map(|(c, _)| c.as_str()).collect();
    println!(
        "### NYC Service listings ({} listings, {queries} queries with a category; {:.0} s)\n",
        listings.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "Imported categories (suggested from the text): {} distinct, {} listings left at `{FALLBACK_CATEGORY}`.\n",
        categories.len(),
        tagged
            .iter()
            .filter(|(c, _)| c == FALLBACK_CATEGORY)
            .count()
    );
    println!("| Ranker | Precision@10 | NDCG@10 | Queries |");
    println!("|---|---:|---:|---:|");
    for (name, scores) in [
        ("Passerelle (full ranker)", &full),
        ("Text only (BM25)", &text),
        ("Random", &random),
    ] {
        println!(
            "| {name} | {} | {} | {queries} |",
            mean(&scores.precision),
            mean(&scores.ndcg)
        );
    }
    println!();
    Ok(())
}

#[derive(Default)]
struct Scores {
    precision: Vec<f64>,
    ndcg: Vec<f64>,
    recall: Vec<f64>,
}

impl Scores {
    fn add(&mut self, ranking: &[String], grades: &HashMap<String, u32>) {
        self.precision.push(precision(ranking, grades, AT));
        self.ndcg.push(ndcg(ranking, grades, AT, Gain::Exponential));
        self.recall.push(recall(ranking, grades, AT, Relevant::Any));
    }
}

/// In the demo data, French needs must find the English offers of the same category that
/// admit them.
async fn cross_language() -> anyhow::Result<()> {
    let world = World::empty().await?;
    passerelle::demo::load(&world.db, &world.taxonomy).await?;
    let world = World {
        search: World::index(world._dir.path(), &world.db, &world.taxonomy).await?,
        ..world
    };
    let postings = posting::Entity::find().all(&world.db).await?;
    let orgs: HashMap<i64, organization::Model> = organization::Entity::find()
        .all(&world.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let now = Utc::now();
    let open = |p: &&posting::Model| p.status == PostingStatus::Open;
    let offers: Vec<&posting::Model> = postings
        .iter()
        .filter(open)
        .filter(|p| p.kind == PostingKind::Offer)
        .collect();
    let mut rng = StdRng::seed_from_u64(2026);
    let (mut full, mut text, mut random) =
        (Scores::default(), Scores::default(), Scores::default());
    let mut queries = 0;
    for need in postings
        .iter()
        .filter(open)
        .filter(|p| p.kind == PostingKind::Need && p.language == Language::Fr)
    {
        let need_org = &orgs[&need.organization_id];
        let grades: HashMap<String, u32> = offers
            .iter()
            .filter(|o| o.language == Language::En && o.category == need.category)
            .filter(|o| {
                let pair = Pair::new(need, need_org, o, &orgs[&o.organization_id]);
                eligibility::check(&pair, None, now).is_ok()
            })
            .map(|o| (o.id.to_string(), 1))
            .collect();
        if grades.is_empty() {
            continue;
        }
        queries += 1;
        let found = world.matches(PostingKind::Need, need.id, AT, false).await?;
        let ranked: Vec<String> = found
            .matches
            .iter()
            .map(|m| m.posting.id.to_string())
            .collect();
        full.add(&ranked, &grades);
        let ranked: Vec<String> = world
            .text_only(need, AT)?
            .into_iter()
            .map(|id| id.to_string())
            .collect();
        text.add(&ranked, &grades);
        let ranked: Vec<String> = offers
            .choose_multiple(&mut rng, AT)
            .map(|o| o.id.to_string())
            .collect();
        random.add(&ranked, &grades);
    }
    println!(
        "### Cross-language (demo data): French needs, relevant = English offers of the same category that admit them\n"
    );
    println!("| Ranker | Recall@10 | Queries |");
    println!("|---|---:|---:|");
    for (name, scores) in [
        ("Passerelle (full ranker)", &full),
        ("Text only (BM25)", &text),
        ("Random", &random),
    ] {
        println!("| {name} | {} | {queries} |", mean(&scores.recall));
    }
    println!();
    Ok(())
}

/// What the taxonomy offers for generated texts: (category, title, description, skills), EN and FR.
/// A generated posting's category, title, text and skills.
type Template = (String, String, String, Vec<String>);

struct Phrases {
    by_language: HashMap<Language, Vec<Template>>,
    /// Words of all the descriptions, per language, to vary the generated texts.
    words: HashMap<Language, Vec<String>>,
    cause_areas: Vec<String>,
}

impl Phrases {
    fn new(taxonomy: &Taxonomy) -> Self {
        let mut by_language: HashMap<Language, Vec<_>> = HashMap::new();
        for category in taxonomy.entries(TaxonomyKind::Category) {
            let skills: Vec<&passerelle::domain::taxonomy::Entry> = taxonomy
                .entries(TaxonomyKind::Skill)
                .filter(|s| s.parent.as_deref() == Some(category.code.as_str()))
                .collect();
            for language in [Language::En, Language::Fr] {
                let (label, description, synonyms) = match language {
                    Language::En => (
                        &category.label_en,
                        &category.description_en,
                        &category.synonyms_en,
                    ),
                    Language::Fr => (
                        &category.label_fr,
                        &category.description_fr,
                        &category.synonyms_fr,
                    ),
                };
                let mut variants = vec![(label.clone(), Vec::new())];
                for skill in &skills {
                    let skill_label = match language {
                        Language::En => &skill.label_en,
                        Language::Fr => &skill.label_fr,
                    };
                    variants.push((skill_label.clone(), vec![skill.code.clone()]));
                }
                for (title, skills) in variants {
                    let text = format!("{description} {}", synonyms.join(", "));
                    by_language.entry(language).or_default().push((
                        category.code.clone(),
                        title,
                        text,
                        skills,
                    ));
                }
            }
        }
        let words = by_language
            .iter()
            .map(|(language, list)| {
                let mut words: Vec<String> = list
                    .iter()
                    .flat_map(|(_, _, text, _)| text.split_whitespace())
                    .map(|w| {
                        w.trim_matches(|c: char| !c.is_alphanumeric())
                            .to_lowercase()
                    })
                    .filter(|w| w.chars().count() > 3)
                    .collect();
                words.sort();
                words.dedup();
                (*language, words)
            })
            .collect();
        Self {
            by_language,
            words,
            cause_areas: taxonomy
                .entries(TaxonomyKind::CauseArea)
                .map(|e| e.code.clone())
                .collect(),
        }
    }
}

/// Generated organizations and postings with random eligibility rules, states and places.
fn generate(
    taxonomy: &Taxonomy,
    organizations: usize,
    postings: usize,
    rules: bool,
    rng: &mut StdRng,
) -> (Vec<organization::Model>, Vec<posting::Model>) {
    let phrases = Phrases::new(taxonomy);
    let orgs: Vec<organization::Model> = (0..organizations)
        .map(|i| {
            let kind = *OrgKind::ALL.choose(rng).unwrap();
            let mut org = organization(
                i as i64 + 1,
                &format!("Organization {i}"),
                kind,
                PROVINCES.choose(rng).unwrap(),
            );
            org.cause_areas = StringList(pick(rng, &phrases.cause_areas, 0, 3));
            org.size = [None, Some(SizeBand::Small), Some(SizeBand::Medium)]
                .choose(rng)
                .cloned()
                .flatten();
            if rng.random_bool(0.4) {
                org.charity_number = Some("817280563RR0001".into());
            }
            org
        })
        .collect();
    let now = Utc::now();
    let list = (0..postings)
        .map(|i| {
            let org = orgs.choose(rng).unwrap();
            let language = if rng.random_bool(0.6) {
                Language::En
            } else {
                Language::Fr
            };
            let kind = if rng.random_bool(0.5) {
                PostingKind::Need
            } else {
                PostingKind::Offer
            };
            let (category, title, mut text, skills) =
                phrases.by_language[&language].choose(rng).unwrap().clone();
            for word in phrases.words[&language].choose_multiple(rng, 8) {
                text.push(' ');
                text.push_str(word);
            }
            let mut p = posting(
                i as i64 + 1,
                org.id,
                kind,
                &title,
                &text,
                language,
                &category,
                skills,
            );
            p.province = rng
                .random_bool(0.7)
                .then(|| PROVINCES.choose(rng).unwrap().to_string());
            p.remote = rng.random_bool(0.5) || (kind == PostingKind::Need && p.province.is_none());
            p.quantity = rng.random_range(1..=20);
            if rules {
                p.status = *[
                    PostingStatus::Open,
                    PostingStatus::Open,
                    PostingStatus::Open,
                    PostingStatus::Paused,
                    PostingStatus::Closed,
                    PostingStatus::Fulfilled,
                ]
                .choose(rng)
                .unwrap();
                if rng.random_bool(0.1) {
                    p.expires_at = Some(now - chrono::Duration::days(1));
                }
            }
            if rules && kind == PostingKind::Offer {
                p.eligibility = Some(Eligibility {
                    org_kinds: if rng.random_bool(0.5) {
                        pick(rng, OrgKind::ALL, 1, 4)
                    } else {
                        Vec::new()
                    },
                    provinces: if rng.random_bool(0.4) {
                        pick(rng, &PROVINCES, 1, 4)
                            .into_iter()
                            .map(str::to_owned)
                            .collect()
                    } else {
                        Vec::new()
                    },
                    cause_areas: if rng.random_bool(0.3) {
                        pick(rng, &phrases.cause_areas, 1, 3)
                    } else {
                        Vec::new()
                    },
                    requires_charity_number: rng.random_bool(0.3),
                    preferred_sizes: Vec::new(),
                });
            }
            p
        })
        .collect();
    (orgs, list)
}

/// Between `low` and `high` distinct items, at random.
fn pick<T: Clone>(rng: &mut StdRng, items: &[T], low: usize, high: usize) -> Vec<T> {
    let n = rng.random_range(low..=high);
    items.choose_multiple(rng, n).cloned().collect()
}

/// The eligibility rules written out again, independently of `matching::eligibility`, to check it.
fn admits(
    need: &posting::Model,
    need_org: &organization::Model,
    offer: &posting::Model,
    offer_org: &organization::Model,
) -> bool {
    let now = Utc::now();
    let usable = |p: &posting::Model| {
        p.status == PostingStatus::Open && p.quantity > 0 && p.expires_at.is_none_or(|at| at > now)
    };
    let rules = offer.eligibility.clone().unwrap_or_default();
    let place = need.province.as_deref().unwrap_or(&need_org.province);
    let kinds = rules.org_kinds.is_empty() || rules.org_kinds.contains(&need_org.kind);
    let provinces = rules.provinces.is_empty() || rules.provinces.iter().any(|p| p == place);
    let causes = rules.cause_areas.is_empty()
        || rules
            .cause_areas
            .iter()
            .any(|c| need_org.cause_areas.0.contains(c));
    let charity = !rules.requires_charity_number || need_org.charity_number.is_some();
    let reachable = (need.remote && offer.remote)
        || offer.province.is_none()
        || offer.province.as_deref() == Some(place);
    need_org.id != offer_org.id
        && usable(need)
        && usable(offer)
        && kinds
        && provinces
        && causes
        && charity
        && reachable
}

/// Needs matched against generated offers with random rules: every offer returned must pass the
/// rules, checked independently over every (need, offer) pair.
async fn eligibility_check() -> anyhow::Result<()> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(7);
    let taxonomy = Taxonomy::builtin()?;
    let (orgs, postings) = generate(&taxonomy, 400, 4_000, true, &mut rng);
    let world = World::with(orgs.clone(), postings.clone()).await?;
    let orgs: HashMap<i64, &organization::Model> = orgs.iter().map(|o| (o.id, o)).collect();
    let offers: Vec<&posting::Model> = postings
        .iter()
        .filter(|p| p.kind == PostingKind::Offer)
        .collect();
    let needs: Vec<&posting::Model> = postings
        .iter()
        .filter(|p| p.kind == PostingKind::Need && p.status == PostingStatus::Open)
        .filter(|p| p.expires_at.is_none_or(|at| at > Utc::now()))
        .take(400)
        .collect();
    let (mut pairs, mut eligible, mut returned, mut wrong, mut excluded) = (0, 0, 0, 0, 0);
    for need in &needs {
        let need_org = orgs[&need.organization_id];
        let admitted: HashSet<i64> = offers
            .iter()
            .filter(|o| admits(need, need_org, o, orgs[&o.organization_id]))
            .map(|o| o.id)
            .collect();
        pairs += offers.len();
        eligible += admitted.len();
        let found = world.matches(PostingKind::Need, need.id, 50, true).await?;
        for m in &found.matches {
            returned += 1;
            if !admitted.contains(&m.posting.id) {
                wrong += 1;
                println!("INELIGIBLE: need {} got offer {}", need.id, m.posting.id);
            }
        }
        for e in found.excluded.iter().flatten() {
            excluded += 1;
            if admitted.contains(&e.posting.id) {
                wrong += 1;
                println!(
                    "WRONGLY EXCLUDED: need {} and offer {} ({})",
                    need.id, e.posting.id, e.rule
                );
            }
        }
    }
    println!(
        "### Eligibility on generated pairs ({:.0} s)\n",
        started.elapsed().as_secs_f64()
    );
    println!(
        "| Needs | Offers | Pairs checked | Eligible pairs | Offers returned | Candidates excluded | Ineligible returned or eligible excluded |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {pairs} | {eligible} | {returned} | {excluded} | {wrong} |\n",
        needs.len(),
        offers.len()
    );
    anyhow::ensure!(wrong == 0, "{wrong} eligibility errors");
    Ok(())
}

/// Top-20 matches with reasons for random needs among N generated postings.
async fn speed(count: usize) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(2026);
    let taxonomy = Taxonomy::builtin()?;
    let started = Instant::now();
    let (orgs, postings) = generate(&taxonomy, 2_000, count, false, &mut rng);
    let world = World::with(orgs, postings.clone()).await?;
    let load = started.elapsed();
    let mut needs: Vec<i64> = postings
        .iter()
        .filter(|p| p.kind == PostingKind::Need)
        .map(|p| p.id)
        .collect();
    needs.shuffle(&mut rng);
    needs.truncate(300);
    // Warm-up, then measured.
    for id in needs.iter().take(30) {
        world.matches(PostingKind::Need, *id, 20, false).await?;
    }
    let mut times = Vec::new();
    let mut empty = 0;
    for id in &needs {
        let start = Instant::now();
        let found = world.matches(PostingKind::Need, *id, 20, false).await?;
        times.push(start.elapsed());
        if found.matches.is_empty() {
            empty += 1;
        }
    }
    times.sort();
    println!("## Matching speed\n");
    println!(
        "{count} postings from 2,000 organizations (database and index built in {:.0} s); top 20 matches with reasons for {} needs, one at a time, after 30 warm-up requests. {empty} needs had no eligible match.\n",
        load.as_secs_f64(),
        needs.len()
    );
    println!("| Postings | p50 (ms) | p99 (ms) | max (ms) | Peak RSS (MiB) |");
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {count} | {} | {} | {} | {} |",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap()),
        peak_memory_mib()
    );
    Ok(())
}
