//! The index schema and its analyzers. Bump `SCHEMA_VERSION` whenever either changes, or what a
//! record puts in the index (`document.rs`): an index written with another version is rebuilt
//! from the database at start.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream, TokenizerManager,
};

pub const SCHEMA_VERSION: u32 = 7;

/// Folded (lowercase, accents removed, French elisions dropped), not stemmed.
pub const FOLD: &str = "passerelle_fold";
/// Folded and stemmed for English.
pub const EN: &str = "passerelle_en";
/// Folded and stemmed for French.
pub const FR: &str = "passerelle_fr";

/// What remains of French elisions once the tokenizer splits at the apostrophe (`l'informatique`
/// gives `l` and `informatique`); these fragments carry no meaning.
const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// English and French stop words are dropped in every field: a query in either language should
/// not match everything through `the` or `de`. They go before accent folding, as the lists have
/// accents.
fn folded() -> tantivy::tokenizer::TextAnalyzerBuilder<impl tantivy::tokenizer::Tokenizer> {
    let stop = |language| {
        StopWordFilter::new(language).unwrap_or_else(|| StopWordFilter::remove(Vec::new()))
    };
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(stop(Language::English))
        .filter(stop(Language::French))
        .filter(StopWordFilter::remove(
            ELISIONS.iter().map(|w| (*w).to_owned()),
        ))
        .filter(AsciiFoldingFilter)
}

/// The words an analyzer makes of a text.
pub fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        words.push(stream.token().text.clone());
    }
    words
}

/// The analyzers by name; registered on the index and used to analyze queries the same way.
pub fn tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(FOLD, folded().build());
    manager.register(EN, folded().filter(Stemmer::new(Language::English)).build());
    manager.register(FR, folded().filter(Stemmer::new(Language::French)).build());
    manager
}

/// Every field, by role.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `posting:12` or `organization:4`: the delete key.
    pub key: Field,
    /// `need`, `offer` or `organization`.
    pub kind: Field,
    pub db_id: Field,
    pub version: Field,
    pub title: Field,
    pub body: Field,
    pub body_en: Field,
    pub body_fr: Field,
    pub org_name: Field,
    pub organization_id: Field,
    pub category: Field,
    pub skills: Field,
    pub province: Field,
    pub org_kind: Field,
    pub remote: Field,
    /// `true` when an administrator verified the organization (of the posting).
    pub verified: Field,
    pub language: Field,
    pub cause_areas: Field,
    /// The taxonomy codes (categories, skills, cause areas) the text names, in either language.
    pub named: Field,
    pub expires_at: Field,
    pub updated_at: Field,
    /// A posting's value in CAD, when it has one.
    pub value_cad: Field,
    /// An offer's eligibility rules as terms, `any` where a rule names nothing: organization
    /// kinds, provinces, cause areas, and `required` when a charity number is.
    pub elig_kinds: Field,
    pub elig_provinces: Field,
    pub elig_causes: Field,
    pub elig_charity: Field,
}

impl Fields {
    /// The stemmed field of a language, and the name of its analyzer.
    pub fn stemmed(&self, language: entity::Language) -> (Field, &'static str) {
        match language {
            entity::Language::En => (self.body_en, EN),
            entity::Language::Fr => (self.body_fr, FR),
        }
    }
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let keyword = STRING | FAST;
    // Taxonomy codes (categories, skills, cause areas) also rank (query-time synonyms); with
    // frequencies, their terms join the words in one union that tantivy prunes with block-max
    // WAND. Scores are those of `STRING`. Tags are also facets and shown; named codes only rank.
    let codes = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let concept = codes.clone() | FAST | STORED;
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", keyword.clone() | STORED),
        db_id: b.add_i64_field("db_id", INDEXED | STORED | FAST),
        version: b.add_i64_field("version", STORED | FAST),
        title: b.add_text_field("title", text(FOLD, true)),
        body: b.add_text_field("body", text(FOLD, true)),
        body_en: b.add_text_field("body_en", text(EN, false)),
        body_fr: b.add_text_field("body_fr", text(FR, false)),
        org_name: b.add_text_field("org_name", text(FOLD, true)),
        organization_id: b.add_i64_field("organization_id", INDEXED | STORED | FAST),
        category: b.add_text_field("category", concept.clone()),
        skills: b.add_text_field("skills", concept.clone()),
        province: b.add_text_field("province", keyword.clone() | STORED),
        org_kind: b.add_text_field("org_kind", keyword.clone() | STORED),
        remote: b.add_text_field("remote", keyword.clone() | STORED),
        verified: b.add_text_field("verified", keyword.clone() | STORED),
        language: b.add_text_field("language", keyword.clone() | STORED),
        cause_areas: b.add_text_field("cause_areas", concept),
        named: b.add_text_field("named", codes),
        expires_at: b.add_date_field("expires_at", INDEXED | STORED | FAST),
        updated_at: b.add_date_field("updated_at", INDEXED | STORED | FAST),
        value_cad: b.add_i64_field("value_cad", INDEXED | FAST),
        elig_kinds: b.add_text_field("elig_kinds", STRING),
        elig_provinces: b.add_text_field("elig_provinces", STRING),
        elig_causes: b.add_text_field("elig_causes", STRING),
        elig_charity: b.add_text_field("elig_charity", STRING),
    };
    (b.build(), fields)
}
