use super::*;
use crate::api::ApplicationUpdate;

fn engine() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path()).unwrap();
    (dir, engine)
}

fn err(result: Result<impl std::fmt::Debug, EngineError>) -> String {
    result.expect_err("must be refused").to_string()
}

#[test]
fn a_new_application_gets_defaults_and_each_bad_field_is_named_with_nothing_changed() {
    let (_dir, engine) = engine();
    let created = engine
        .update_application(
            "Shop API",
            &ApplicationUpdate {
                tier: Some("High".into()),
                organization: Some("Payments".into()),
                contacts: Some(vec![api::ContactDto {
                    role: "owner".into(),
                    name: String::new(),
                    email: "Ada Lovelace <ada@example.com>".into(),
                }]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(created.public_id, "shop-api");
    assert_eq!(
        (
            created.tier.as_str(),
            created.stage.as_str(),
            created.status.as_str()
        ),
        ("high", "build", "active")
    );
    assert_eq!(created.organization, "Payments");
    assert_eq!(created.contacts[0].name, "Ada Lovelace");
    assert_eq!(created.contacts[0].email, "ada@example.com");
    assert!(created.monitor && created.monitored && created.monitored_because.is_none());

    let cases: Vec<(ApplicationUpdate, &str)> = vec![
        (
            ApplicationUpdate {
                tier: Some("urgent".into()),
                ..Default::default()
            },
            "tier \"urgent\"",
        ),
        (
            ApplicationUpdate {
                exposure: Some("public".into()),
                ..Default::default()
            },
            "exposure \"public\"",
        ),
        (
            ApplicationUpdate {
                hosting: Some("cloud".into()),
                ..Default::default()
            },
            "hosting \"cloud\"",
        ),
        (
            ApplicationUpdate {
                status: Some("gone".into()),
                ..Default::default()
            },
            "status \"gone\"",
        ),
        (
            ApplicationUpdate {
                stage: Some("prod".into()),
                ..Default::default()
            },
            "stage \"prod\"",
        ),
        (
            ApplicationUpdate {
                watch: Some("all".into()),
                ..Default::default()
            },
            "watch \"all\"",
        ),
        (
            ApplicationUpdate {
                watch: Some("labels".into()),
                ..Default::default()
            },
            "watch label",
        ),
        (
            ApplicationUpdate {
                public_id: Some("has space".into()),
                ..Default::default()
            },
            "public id \"has space\"",
        ),
        (
            ApplicationUpdate {
                tier: Some("low".into()),
                contacts: Some(vec![api::ContactDto {
                    role: "owner".into(),
                    name: "x".into(),
                    email: "not-an-email".into(),
                }]),
                ..Default::default()
            },
            "owner \"not-an-email\"",
        ),
    ];
    for (update, named) in cases {
        let message = err(engine.update_application("Shop API", &update));
        assert!(message.contains(named), "{message} should name {named}");
    }
    let after = engine.application_profile("shop api").unwrap();
    assert_eq!(
        after.tier, "high",
        "a refused change leaves everything as it was"
    );
    assert_eq!(after.contacts.len(), 1);
}

#[test]
fn a_public_id_belongs_to_one_application() {
    let (_dir, engine) = engine();
    engine
        .update_application("a", &ApplicationUpdate::default())
        .unwrap();
    engine
        .update_application("b", &ApplicationUpdate::default())
        .unwrap();
    let message = err(engine.update_application(
        "b",
        &ApplicationUpdate {
            public_id: Some("a".into()),
            ..Default::default()
        },
    ));
    assert!(
        message.contains("public id \"a\" is already the public id of a"),
        "{message}"
    );
    // Setting an application's own id again is no conflict.
    engine
        .update_application(
            "a",
            &ApplicationUpdate {
                public_id: Some("a".into()),
                ..Default::default()
            },
        )
        .unwrap();
}

#[test]
fn an_organization_that_turns_monitoring_on_holds_every_application_below_it() {
    let (_dir, engine) = engine();
    engine.save_organization("Payments", None, None).unwrap();
    engine
        .save_organization("Cards", Some("Payments"), None)
        .unwrap();
    engine
        .update_application(
            "card-api",
            &ApplicationUpdate {
                organization: Some("cards".into()),
                monitor: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
    let names = |engine: &Engine| -> Vec<String> {
        crate::coverage::monitored_applications(&engine.store().unwrap())
            .unwrap()
            .into_iter()
            .map(|a| a.name)
            .collect()
    };
    assert!(
        names(&engine).is_empty(),
        "its own switch is off and nothing above is on"
    );

    engine
        .save_organization("Payments", None, Some(true))
        .unwrap();
    assert_eq!(names(&engine), ["card-api"]);
    let profile = engine.application_profile("card-api").unwrap();
    assert_eq!(
        profile.organization, "Cards",
        "stored in the tree's spelling"
    );
    assert!(!profile.monitor && profile.monitored);
    assert_eq!(
        profile.monitored_because.as_deref(),
        Some("organization Payments turns monitoring on")
    );
    let message = err(engine.update_application(
        "card-api",
        &ApplicationUpdate {
            monitor: Some(false),
            ..Default::default()
        },
    ));
    assert!(
        message.contains("organization Payments turns monitoring on"),
        "{message}"
    );

    // A coverage rule taking retired applications out wins over the organization.
    engine
        .update_application(
            "card-api",
            &ApplicationUpdate {
                status: Some("retired".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(names(&engine).is_empty());
    let summary = engine.applications().unwrap().remove(0);
    assert!(!summary.monitored && !summary.monitor);
}

#[test]
fn the_tree_refuses_a_missing_parent_and_a_cycle() {
    let (_dir, engine) = engine();
    engine.save_organization("A", None, None).unwrap();
    engine.save_organization("B", Some("A"), None).unwrap();
    assert!(err(engine.save_organization("C", Some("Nope"), None)).contains("parent \"Nope\""));
    assert!(err(engine.save_organization("A", Some("B"), None)).contains("cycle"));
    assert!(err(engine.save_organization("Root", Some("A"), None)).contains("root"));
    let tree: Vec<(String, Option<String>)> = engine
        .organizations()
        .unwrap()
        .into_iter()
        .map(|o| (o.name, o.parent))
        .collect();
    assert_eq!(
        tree,
        [
            ("Root".to_string(), None),
            ("A".to_string(), Some("Root".to_string())),
            ("B".to_string(), Some("A".to_string())),
        ]
    );
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_csv_file_creates_and_updates_applications_with_contacts_and_organizations() {
    let (dir, engine) = engine();
    engine
        .update_application(
            "legacy",
            &ApplicationUpdate {
                tier: Some("low".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let file = write(
        dir.path(),
        "apps.csv",
        "name,public_id,organization,tier,exposure,users,status,monitor,stage,owner,developer,categories\n\
         shop,SHOP-1,Retail,critical,external,12000,active,on,release,Ada <ada@example.com>;bob@example.com,dev@example.com,pci; web\n\
         legacy,,,,,,retired,,,,,\n",
    );
    let report = engine.import_applications_csv(&file).unwrap();
    assert_eq!((report.created, report.updated), (1, 1));
    let shop = engine.application_profile("shop").unwrap();
    assert_eq!(shop.public_id, "SHOP-1");
    assert_eq!(shop.organization, "Retail");
    assert_eq!(
        (shop.tier.as_str(), shop.exposure.as_str(), shop.users),
        ("critical", "external", Some(12000))
    );
    assert_eq!(shop.stage, "release");
    assert_eq!(shop.categories, ["pci", "web"]);
    let contacts: Vec<(&str, &str)> = shop
        .contacts
        .iter()
        .map(|c| (c.role.as_str(), c.email.as_str()))
        .collect();
    assert_eq!(
        contacts,
        [
            ("owner", "ada@example.com"),
            ("owner", "bob@example.com"),
            ("developer", "dev@example.com")
        ]
    );
    let legacy = engine.application_profile("legacy").unwrap();
    assert_eq!(
        (legacy.tier.as_str(), legacy.status.as_str()),
        ("low", "retired"),
        "empty cells keep the value"
    );
    assert!(engine
        .organizations()
        .unwrap()
        .iter()
        .any(|o| o.name == "Retail" && o.parent.as_deref() == Some("Root")));
    let summary = engine
        .applications()
        .unwrap()
        .into_iter()
        .find(|a| a.name == "shop")
        .unwrap();
    assert_eq!(summary.owner.as_deref(), Some("ada@example.com"));
}

#[test]
fn a_bad_csv_row_names_its_line_and_field_and_nothing_changes() {
    let (dir, engine) = engine();
    engine
        .update_application("kept", &ApplicationUpdate::default())
        .unwrap();
    let file = write(
        dir.path(),
        "apps.csv",
        "name,organization,tier\nnew-one,NewOrg,high\nkept,,urgent\n",
    );
    let message = err(engine.import_applications_csv(&file));
    assert!(
        message.contains("apps.csv line 3: tier \"urgent\""),
        "{message}"
    );
    let names: Vec<String> = engine
        .applications()
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(
        names,
        ["kept"],
        "the good row before it was not written either"
    );
    assert_eq!(
        engine.organizations().unwrap().len(),
        1,
        "no organization was created"
    );

    let unknown = write(dir.path(), "unknown.csv", "name,colour\nx,red\n");
    let message = err(engine.import_applications_csv(&unknown));
    assert!(message.contains("unknown column \"colour\""), "{message}");
    let twice = write(dir.path(), "twice.csv", "name\nx\nX\n");
    assert!(err(engine.import_applications_csv(&twice))
        .contains("line 3: application \"X\" is also on line 2"));
}

#[test]
fn watched_scans_follow_the_watch_mode() {
    let scan = |id: i64, label: Option<&str>| vigil_store::ScanRow {
        id,
        stage: "release".into(),
        version_label: label.map(str::to_string),
        created_at: String::new(),
        components: 0,
        sources: Vec::new(),
    };
    let scans = [
        scan(4, Some("v2.1")),
        scan(3, Some("2.0")),
        scan(2, Some("1.9")),
        scan(1, Some("1.8")),
    ];
    let mut app = crate::coverage::tests::row("x");
    app.monitored_stage = "release".into();
    assert_eq!(watched(&app, &scans), [4]);
    app.watch = "major".into();
    assert_eq!(watched(&app, &scans), [4, 2]);
    app.watch = "labels".into();
    app.watch_labels = vec!["1.8".into(), "2.0".into()];
    assert_eq!(watched(&app, &scans), [3, 1]);
}
