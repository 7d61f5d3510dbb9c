//! The outbox over the long run: a change the index cannot apply is skipped and reported while
//! the others go on; shutdown drains the writer; pruned rows make a node that missed them
//! rebuild its index.

use passerelle::domain::journal;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::*;

/// The last outbox id, straight from the database.
async fn last_outbox_id(db: &sea_orm::DatabaseConnection) -> i64 {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT MAX(id) AS n FROM outbox",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<Option<i64>>("", "n").unwrap().unwrap_or(0)
}

#[tokio::test]
async fn a_change_the_index_cannot_apply_is_reported_and_the_others_still_apply() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    // A row of a kind this version does not know, as a newer version might write.
    app.db
        .execute_unprepared(
            "INSERT INTO outbox (entity, entity_id, op, action, created_at) \
             VALUES ('time_capsule', 7, 'upsert', 'time_capsule.create', CURRENT_TIMESTAMP)",
        )
        .await
        .unwrap();
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(
                need_body(),
                json!({ "title": "Tablettes pour la halte-garderie" }),
            ),
        )
        .await;
    app.searchable().await;
    let found = app.search("q=halte-garderie").await;
    assert_eq!(found["hits"][0]["id"], need["id"], "{found:#}");
    let ready = expect_json(app.get("/readyz", None).await, StatusCode::OK).await;
    assert_eq!(ready["status"], "degraded", "{ready:#}");
    let stuck = &ready["search"]["stuck"];
    assert_eq!(stuck.as_array().unwrap().len(), 1, "{ready:#}");
    assert_eq!(stuck[0]["entity"], "time_capsule");
    assert_eq!(stuck[0]["entity_id"], 7);
}

#[tokio::test]
async fn shutdown_applies_what_was_committed_before_the_process_exits() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    // Thousands of changes at once (the same posting written again and again), several batches
    // of the writer's, then a stop before it can have caught up.
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO outbox (entity, entity_id, op, action, created_at) \
             SELECT 'posting', {}, 'upsert', 'need.update', created_at FROM outbox, \
             (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 \
              UNION ALL SELECT 5) AS five",
            need["id"]
        ))
        .await
        .unwrap();
    for _ in 0..8 {
        app.db
            .execute_unprepared(
                "INSERT INTO outbox (entity, entity_id, op, action, created_at) \
                 SELECT entity, entity_id, op, action, created_at FROM outbox",
            )
            .await
            .unwrap();
    }
    let last = last_outbox_id(&app.db).await;
    assert!(last > 3_000, "{last} rows");
    let (config, _dir) = app.stop().await;
    let taxonomy = passerelle::domain::taxonomy::Taxonomy::builtin().unwrap();
    let index = passerelle::search::open_read_only(&config.data_dir.join("index"), &taxonomy)
        .expect("the index is there");
    assert_eq!(
        index.applied(),
        last,
        "the index was committed up to the last change"
    );
}

#[tokio::test]
async fn a_node_whose_index_missed_pruned_changes_rebuilds_it() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    app.create_posting(&nonprofit, "needs", need_body()).await;
    app.searchable().await;
    let (config, dir) = app.stop().await;

    // While this node is down, another writes a need, and the outbox is pruned past it.
    let other_dir = tempfile::tempdir().unwrap();
    let other = TestApp::resume(
        passerelle::config::Config {
            data_dir: other_dir.path().to_path_buf(),
            database_url: Some(config.database_url()),
            ..config.clone()
        },
        other_dir,
    )
    .await;
    let missed = other
        .create_posting(
            &nonprofit,
            "needs",
            merge(
                need_body(),
                json!({ "title": "Numériseur pour nos archives" }),
            ),
        )
        .await;
    let pruned = journal::prune(
        &other.db,
        passerelle::domain::now() + chrono::Duration::days(1),
    )
    .await
    .unwrap();
    assert!(pruned > 0);
    assert_eq!(other.count("outbox").await, 0);
    other.stop().await;

    let app = TestApp::resume(config, dir).await;
    app.searchable().await;
    let found = app.search("q=numériseur").await;
    assert_eq!(found["hits"][0]["id"], missed["id"], "{found:#}");
}

#[tokio::test]
async fn pruning_keeps_what_a_follower_has_not_read() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    app.create_posting(&nonprofit, "needs", need_body()).await;
    let first = last_outbox_id(&app.db).await;
    let read = app.journal().await.len();
    app.create_posting(&nonprofit, "needs", need_body()).await;
    let last = last_outbox_id(&app.db).await;
    let unread = app.journal().await.len() - read;
    assert!(unread > 0);
    // A follower (notifications, say) has read up to `first`.
    journal::advance(&app.db, "notifications", first)
        .await
        .unwrap();
    assert_eq!(
        journal::cursor(&app.db, "notifications").await.unwrap(),
        first
    );
    let tomorrow = passerelle::domain::now() + chrono::Duration::days(1);
    let pruned = journal::prune(&app.db, tomorrow).await.unwrap();
    assert_eq!(pruned, u64::try_from(read).unwrap());
    assert_eq!(journal::pruned_through(&app.db).await.unwrap(), first);
    assert_eq!(
        app.journal().await.len(),
        unread,
        "what the follower has not read is kept"
    );
    // Nothing is older than the retention period: nothing goes.
    journal::advance(&app.db, "notifications", last)
        .await
        .unwrap();
    let yesterday = passerelle::domain::now() - chrono::Duration::days(1);
    assert_eq!(journal::prune(&app.db, yesterday).await.unwrap(), 0);
}
