use super::*;
use crate::plan::model::{QuietHours, Sla, TierRule};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn contact(role: &str, name: &str, email: &str) -> ContactDto {
    ContactDto {
        role: role.into(),
        name: name.into(),
        email: email.into(),
    }
}

/// One of each role, and a second owner.
fn contacts() -> Vec<ContactDto> {
    vec![
        contact("owner", "Alice", "alice@example.com"),
        contact("owner", "Olga", "olga@example.com"),
        contact("developer", "Dave", "dave@example.com"),
        contact("security", "Sam", "sam@example.com"),
        contact("manager", "Mia", "mia@example.com"),
    ]
}

fn email(name: &str, to: &[&str], to_roles: &[&str]) -> ChannelFacts {
    ChannelFacts {
        name: name.into(),
        kind: ChannelKind::Email,
        enabled: true,
        to: to.iter().map(|s| s.to_string()).collect(),
        to_roles: to_roles.iter().map(|s| s.to_string()).collect(),
    }
}

fn other(name: &str, kind: ChannelKind) -> ChannelFacts {
    ChannelFacts {
        name: name.into(),
        kind,
        enabled: true,
        to: Vec::new(),
        to_roles: Vec::new(),
    }
}

fn disabled(mut channel: ChannelFacts) -> ChannelFacts {
    channel.enabled = false;
    channel
}

fn rule(channels: &[&str], roles: &[&str], delivery: DeliveryMode, min: u8) -> TierRule {
    TierRule {
        channels: channels.iter().map(|s| s.to_string()).collect(),
        roles: roles.iter().map(|s| s.to_string()).collect(),
        delivery,
        min_threat_level: min,
    }
}

fn plan(tiers: Vec<(&str, TierRule)>) -> Plan {
    Plan {
        tiers: tiers.into_iter().map(|(t, r)| (t.to_string(), r)).collect(),
        timezone: "Europe/Berlin".into(),
        ..Plan::default()
    }
}

fn quiet(plan: &mut Plan, from: &str, to: &str) {
    plan.quiet_hours = Some(QuietHours {
        from: from.into(),
        to: to.into(),
        except_at_least: 8,
    });
}

fn app<'a>(tier: &'a str, contacts: &'a [ContactDto]) -> AppFacts<'a> {
    AppFacts {
        name: "shop",
        tier,
        contacts,
    }
}

fn alert(threat_level: u8) -> AlertFacts<'static> {
    AlertFacts {
        threat_level,
        kind: AlertKind::New,
        targets: None,
        policy: None,
    }
}

fn targeted<'a>(threat_level: u8, targets: &'a Targets) -> AlertFacts<'a> {
    AlertFacts {
        threat_level,
        kind: AlertKind::New,
        targets: Some(targets),
        policy: Some("Security-Critical"),
    }
}

fn names(routes: &[Route]) -> Vec<&str> {
    routes.iter().map(|r| r.channel.as_str()).collect()
}

fn of<'r>(routes: &'r [Route], channel: &str) -> &'r Route {
    routes
        .iter()
        .find(|r| r.channel == channel)
        .unwrap_or_else(|| panic!("no route to {channel} in {routes:#?}"))
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

// A summer weekday noon in Berlin (CEST, UTC+2), outside any quiet hours used below.
const NOON: &str = "2026-06-01T10:00:00Z";

// --- open plan ---------------------------------------------------------------------------

#[test]
fn an_open_plan_sends_every_alert_to_every_enabled_channel_at_once() {
    let plan = Plan::default();
    assert!(plan.is_open());
    let channels = vec![
        email("appsec-mail", &["sec@example.com"], &["owner"]),
        other("dev-slack", ChannelKind::Slack),
        disabled(email("old-mail", &["old@example.com"], &[])),
    ];
    let contacts = contacts();
    let now = utc(NOON);
    for level in [0, 5, 10] {
        let routes = route(&plan, &channels, &app("low", &contacts), &alert(level), now);
        assert_eq!(
            names(&routes),
            ["appsec-mail", "dev-slack"],
            "level {level}"
        );
        let mail = of(&routes, "appsec-mail");
        assert_eq!(
            mail.recipients,
            strings(&["alice@example.com", "olga@example.com", "sec@example.com"])
        );
        assert_eq!(mail.mode, DeliveryMode::Immediate);
        assert_eq!(mail.send_at, now);
        assert_eq!(
            mail.why[0],
            "no plan: every enabled channel → appsec-mail (immediate)"
        );
        assert!(of(&routes, "dev-slack").recipients.is_empty());
    }
    let resolved = AlertFacts {
        kind: AlertKind::Resolved,
        ..alert(5)
    };
    assert_eq!(
        route(&plan, &channels, &app("low", &contacts), &resolved, now).len(),
        2
    );
    assert_eq!(
        silent_because(&plan, &channels, &app("low", &contacts), &resolved),
        None
    );
}

#[test]
fn an_open_plan_with_quiet_hours_holds_alerts_and_applies_policy_targets() {
    let mut plan = Plan {
        timezone: "Europe/Berlin".into(),
        ..Plan::default()
    };
    quiet(&mut plan, "20:00", "07:00");
    let channels = vec![email("appsec-mail", &[], &[])];
    let targets = Targets {
        roles: strings(&["security"]),
        ..Targets::default()
    };
    let contacts = contacts();
    let night = utc("2026-06-01T21:30:00Z");
    let routes = route(
        &plan,
        &channels,
        &app("low", &contacts),
        &targeted(5, &targets),
        night,
    );
    assert_eq!(routes.len(), 1);
    assert_eq!(routes[0].recipients, strings(&["sam@example.com"]));
    assert_eq!(routes[0].send_at, utc("2026-06-02T05:00:00Z"));
    // Without targets the channel has nobody to write to.
    assert!(route(&plan, &channels, &app("low", &contacts), &alert(5), night).is_empty());
}

#[test]
fn resolved_alerts_are_silent_when_the_plan_does_not_announce_them() {
    let channels = vec![other("dev-slack", ChannelKind::Slack)];
    let contacts = contacts();
    let resolved = AlertFacts {
        kind: AlertKind::Resolved,
        ..alert(9)
    };
    for mut plan in [
        Plan::default(),
        plan(vec![(
            "critical",
            rule(&["dev-slack"], &[], DeliveryMode::Immediate, 0),
        )]),
    ] {
        plan.announce_resolved = false;
        let app = app("critical", &contacts);
        assert!(route(&plan, &channels, &app, &resolved, utc(NOON)).is_empty());
        assert_eq!(
            silent_because(&plan, &channels, &app, &resolved).as_deref(),
            Some("RESOLVED alerts are not announced")
        );
        // A NEW alert still goes.
        assert_eq!(route(&plan, &channels, &app, &alert(9), utc(NOON)).len(), 1);
    }
}

#[test]
fn an_open_plan_with_no_enabled_channel_says_so() {
    let plan = Plan::default();
    let channels = vec![disabled(other("dev-slack", ChannelKind::Slack))];
    let contacts = contacts();
    let app = app("high", &contacts);
    assert!(route(&plan, &channels, &app, &alert(9), utc(NOON)).is_empty());
    assert_eq!(
        silent_because(&plan, &channels, &app, &alert(9)).as_deref(),
        Some("no channel is enabled")
    );
}

// --- tiers ---------------------------------------------------------------------------------

#[test]
fn a_tier_left_out_is_told_nothing() {
    let plan = plan(vec![(
        "critical",
        rule(&["dev-slack"], &[], DeliveryMode::Immediate, 0),
    )]);
    let channels = vec![other("dev-slack", ChannelKind::Slack)];
    let contacts = contacts();
    assert_eq!(
        names(&route(
            &plan,
            &channels,
            &app("critical", &contacts),
            &alert(10),
            utc(NOON)
        )),
        ["dev-slack"]
    );
    let low = app("low", &contacts);
    assert!(route(&plan, &channels, &low, &alert(10), utc(NOON)).is_empty());
    assert_eq!(
        silent_because(&plan, &channels, &low, &alert(10)).as_deref(),
        Some("tier low is told nothing")
    );
}

#[test]
fn a_tier_rule_routes_its_enabled_channels_only() {
    let plan = plan(vec![(
        "critical",
        rule(
            &["appsec-mail", "ghost", "off-slack", "dev-slack"],
            &[],
            DeliveryMode::Immediate,
            0,
        ),
    )]);
    let channels = vec![
        other("dev-slack", ChannelKind::Slack),
        email("appsec-mail", &["sec@example.com"], &[]),
        disabled(other("off-slack", ChannelKind::Slack)),
        other("not-in-rule", ChannelKind::Teams),
    ];
    let contacts = contacts();
    let routes = route(
        &plan,
        &channels,
        &app("critical", &contacts),
        &alert(9),
        utc(NOON),
    );
    // The rule's order; the unknown, the disabled and the channel the rule does not name are out.
    assert_eq!(names(&routes), ["appsec-mail", "dev-slack"]);
    assert_eq!(
        of(&routes, "appsec-mail").why[0],
        "tier critical → appsec-mail (immediate)"
    );
    assert_eq!(
        of(&routes, "appsec-mail").recipients,
        strings(&["sec@example.com"])
    );

    // Nothing enabled: the reason names each channel's problem.
    let channels = vec![disabled(other("off-slack", ChannelKind::Slack))];
    assert_eq!(
        silent_because(&plan, &channels, &app("critical", &contacts), &alert(9)).as_deref(),
        Some("no channel is enabled: tier critical named appsec-mail (no such channel), ghost (no such channel), off-slack (disabled), dev-slack (no such channel)")
    );
}

#[test]
fn alerts_below_the_tiers_minimum_threat_level_are_not_sent() {
    let plan = plan(vec![(
        "high",
        rule(&["dev-slack"], &[], DeliveryMode::Immediate, 7),
    )]);
    let channels = vec![other("dev-slack", ChannelKind::Slack)];
    let contacts = contacts();
    let app = app("high", &contacts);
    assert!(route(&plan, &channels, &app, &alert(6), utc(NOON)).is_empty());
    assert_eq!(
        silent_because(&plan, &channels, &app, &alert(6)).as_deref(),
        Some("below tier high's minimum threat level 7")
    );
    assert_eq!(route(&plan, &channels, &app, &alert(7), utc(NOON)).len(), 1);
    assert_eq!(silent_because(&plan, &channels, &app, &alert(7)), None);
    // A RESOLVED alert compares the resolved violation's level, by the same rule.
    for (level, sent) in [(6, false), (7, true)] {
        let resolved = AlertFacts {
            kind: AlertKind::Resolved,
            ..alert(level)
        };
        assert_eq!(
            !route(&plan, &channels, &app, &resolved, utc(NOON)).is_empty(),
            sent,
            "level {level}"
        );
    }
}

#[test]
fn email_recipients_union_the_channels_roles_and_the_tiers_roles_of_this_application() {
    let plan = plan(vec![(
        "critical",
        rule(
            &["appsec-mail", "dev-slack"],
            &["owner"],
            DeliveryMode::Immediate,
            0,
        ),
    )]);
    let channels = vec![
        email(
            "appsec-mail",
            &["SEC@example.com", "sec@example.com"],
            &["security"],
        ),
        other("dev-slack", ChannelKind::Slack),
    ];
    // Alice is both owner and security: once.
    let mut contacts = contacts();
    contacts.push(contact("security", "Alice", "Alice@Example.com"));
    let routes = route(
        &plan,
        &channels,
        &app("critical", &contacts),
        &alert(9),
        utc(NOON),
    );
    let mail = of(&routes, "appsec-mail");
    // Sorted without regard to case; of two spellings, the first met (the channel's `to`,
    // then its roles, then the tier's).
    assert_eq!(
        mail.recipients,
        strings(&[
            "Alice@Example.com",
            "olga@example.com",
            "sam@example.com",
            "SEC@example.com"
        ])
    );
    // Only the roles asked for: no developer, no manager.
    assert!(!mail
        .recipients
        .iter()
        .any(|r| r.starts_with("dave") || r.starts_with("mia")));
    assert!(
        mail.why.contains(
            &"channel appsec-mail's role security → sam@example.com, Alice@Example.com".to_string()
        ),
        "{:?}",
        mail.why
    );
    assert!(
        mail.why.contains(
            &"tier critical's role owner → alice@example.com, olga@example.com".to_string()
        ),
        "{:?}",
        mail.why
    );
    // Non-email channels ignore roles.
    assert!(of(&routes, "dev-slack").recipients.is_empty());

    // Another application's contacts are never consulted: with none of its own, nobody.
    let only_theirs: Vec<ContactDto> = Vec::new();
    let routes = route(
        &plan,
        &[email("team-mail", &[], &["owner"])],
        &app("critical", &only_theirs),
        &alert(9),
        utc(NOON),
    );
    assert!(routes.is_empty());
}

#[test]
fn an_email_route_with_no_recipient_is_dropped_and_said() {
    let plan = plan(vec![(
        "critical",
        rule(
            &["team-mail", "dev-slack"],
            &["manager"],
            DeliveryMode::Immediate,
            0,
        ),
    )]);
    let channels = vec![
        email("team-mail", &[], &["developer"]),
        other("dev-slack", ChannelKind::Slack),
    ];
    let no_manager_no_developer = vec![contact("owner", "Alice", "alice@example.com")];
    let app = app("critical", &no_manager_no_developer);
    let routes = route(&plan, &channels, &app, &alert(9), utc(NOON));
    assert_eq!(names(&routes), ["dev-slack"]);

    let email_only = vec![email("team-mail", &[], &["developer"])];
    assert!(route(&plan, &email_only, &app, &alert(9), utc(NOON)).is_empty());
    assert_eq!(
        silent_because(&plan, &email_only, &app, &alert(9)).as_deref(),
        Some("email channel team-mail has no recipient for this application")
    );
}

// --- policy targets --------------------------------------------------------------------------

#[test]
fn policy_targets_add_addresses_named_contacts_roles_and_channels() {
    let plan = plan(vec![(
        "high",
        rule(&["appsec-mail"], &[], DeliveryMode::Immediate, 0),
    )]);
    let channels = vec![
        email("appsec-mail", &["sec@example.com"], &[]),
        other("sec-slack", ChannelKind::Slack),
        disabled(other("off-teams", ChannelKind::Teams)),
        email("other-mail", &["other@example.com"], &[]),
    ];
    let targets = Targets {
        contacts: strings(&["Ext@Partner.example", "dave", "Nobody"]),
        roles: strings(&["security"]),
        channels: strings(&["sec-slack", "off-teams", "ghost"]),
    };
    let contacts = contacts();
    let routes = route(
        &plan,
        &channels,
        &app("high", &contacts),
        &targeted(6, &targets),
        utc(NOON),
    );
    // The extra channel is routed although the tier does not name it; disabled and unknown ones
    // are not; an email channel neither the tier nor the policy names is not.
    assert_eq!(names(&routes), ["appsec-mail", "sec-slack"]);
    let mail = of(&routes, "appsec-mail");
    assert_eq!(
        mail.recipients,
        strings(&[
            "dave@example.com",
            "Ext@Partner.example",
            "sam@example.com",
            "sec@example.com"
        ])
    );
    for sentence in [
        "policy Security-Critical targets role security → sam@example.com",
        "policy Security-Critical targets Ext@Partner.example",
        "policy Security-Critical targets contact dave → dave@example.com",
        "policy Security-Critical targets contact Nobody, who is not a contact of shop",
    ] {
        assert!(
            mail.why.iter().any(|w| w == sentence),
            "{sentence:?} not in {:?}",
            mail.why
        );
    }
    let slack = of(&routes, "sec-slack");
    assert!(slack.recipients.is_empty());
    assert_eq!(
        slack.why[0],
        "policy Security-Critical targets channel sec-slack (immediate)"
    );
}

#[test]
fn policy_target_roles_resolve_only_this_applications_contacts() {
    let plan = plan(vec![(
        "high",
        rule(&["appsec-mail"], &[], DeliveryMode::Immediate, 0),
    )]);
    let channels = vec![email("appsec-mail", &["sec@example.com"], &[])];
    let targets = Targets {
        roles: strings(&["owner"]),
        ..Targets::default()
    };
    // This application's owner is Olga; Alice owns another application and is not passed.
    let ours = vec![
        contact("owner", "Olga", "olga@example.com"),
        contact("developer", "Dave", "dave@example.com"),
    ];
    let routes = route(
        &plan,
        &channels,
        &app("high", &ours),
        &targeted(6, &targets),
        utc(NOON),
    );
    assert_eq!(
        of(&routes, "appsec-mail").recipients,
        strings(&["olga@example.com", "sec@example.com"])
    );
    assert!(of(&routes, "appsec-mail")
        .why
        .contains(&"policy Security-Critical targets role owner → olga@example.com".to_string()));
}

#[test]
fn policy_recipients_with_no_email_channel_routed_use_every_enabled_email_channel() {
    let plan = plan(vec![(
        "high",
        rule(&["dev-slack"], &["developer"], DeliveryMode::Immediate, 0),
    )]);
    let channels = vec![
        other("dev-slack", ChannelKind::Slack),
        email("appsec-mail", &["sec@example.com"], &["manager"]),
        disabled(email("old-mail", &["old@example.com"], &[])),
        email("ops-mail", &[], &[]),
    ];
    let targets = Targets {
        roles: strings(&["owner"]),
        ..Targets::default()
    };
    let contacts = contacts();
    let routes = route(
        &plan,
        &channels,
        &app("high", &contacts),
        &targeted(6, &targets),
        utc(NOON),
    );
    assert_eq!(names(&routes), ["dev-slack", "appsec-mail", "ops-mail"]);
    // Only the policy's recipients: neither the channels' `to`/`to_roles` nor the tier's roles.
    for name in ["appsec-mail", "ops-mail"] {
        let r = of(&routes, name);
        assert_eq!(
            r.recipients,
            strings(&["alice@example.com", "olga@example.com"]),
            "{name}"
        );
        assert!(
            r.why[0].contains("no email channel is routed"),
            "{:?}",
            r.why
        );
    }
    // Without targets, only the tier's slack.
    assert_eq!(
        names(&route(
            &plan,
            &channels,
            &app("high", &contacts),
            &alert(6),
            utc(NOON)
        )),
        ["dev-slack"]
    );
}

// --- digest ----------------------------------------------------------------------------------

#[test]
fn digest_rules_send_at_the_next_digest_time() {
    let mut plan = plan(vec![(
        "medium",
        rule(&["dev-slack"], &[], DeliveryMode::Digest, 0),
    )]);
    // Quiet hours that span the digest time do not hold the digest further.
    quiet(&mut plan, "20:00", "09:00");
    let channels = vec![other("dev-slack", ChannelKind::Slack)];
    let contacts = contacts();
    let routes = route(
        &plan,
        &channels,
        &app("medium", &contacts),
        &alert(5),
        utc("2026-06-01T22:00:00Z"),
    );
    assert_eq!(routes[0].mode, DeliveryMode::Digest);
    assert_eq!(routes[0].send_at, utc("2026-06-02T06:00:00Z")); // 08:00 CEST
    assert_eq!(
        routes[0].why,
        [
            "tier medium → dev-slack (digest)",
            "in the digest at 08:00 Europe/Berlin"
        ]
    );
}

#[test]
fn the_next_digest_is_strictly_after_now_and_follows_the_clocks() {
    let plan = Plan {
        timezone: "Europe/Berlin".into(),
        ..Plan::default()
    };
    // Before today's digest time: today's.
    assert_eq!(
        next_digest(&plan, utc("2026-06-01T05:59:00Z")),
        utc("2026-06-01T06:00:00Z")
    );
    // At it or after: tomorrow's.
    assert_eq!(
        next_digest(&plan, utc("2026-06-01T06:00:00Z")),
        utc("2026-06-02T06:00:00Z")
    );
    assert_eq!(
        next_digest(&plan, utc("2026-06-01T07:00:00Z")),
        utc("2026-06-02T06:00:00Z")
    );
    // Spring forward (2026-03-29): Saturday's 08:00 is CET (07:00 UTC), Sunday's CEST (06:00).
    assert_eq!(
        next_digest(&plan, utc("2026-03-28T06:30:00Z")),
        utc("2026-03-28T07:00:00Z")
    );
    assert_eq!(
        next_digest(&plan, utc("2026-03-28T12:00:00Z")),
        utc("2026-03-29T06:00:00Z")
    );
    // A digest time the clocks skip goes at the end of the gap (03:00 CEST).
    let skipped = Plan {
        digest_at: "02:30".into(),
        ..plan.clone()
    };
    assert_eq!(
        next_digest(&skipped, utc("2026-03-28T12:00:00Z")),
        utc("2026-03-29T01:00:00Z")
    );
    // Another zone, another instant.
    let tokyo = Plan {
        timezone: "Asia/Tokyo".into(),
        ..plan
    };
    assert_eq!(
        next_digest(&tokyo, utc("2026-06-01T00:00:00Z")),
        utc("2026-06-01T23:00:00Z")
    );
}

// --- quiet hours ---------------------------------------------------------------------------

#[test]
fn quiet_hours_wrap_past_midnight() {
    let mut plan = Plan {
        timezone: "Europe/Berlin".into(),
        ..Plan::default()
    };
    quiet(&mut plan, "20:00", "07:00");
    let morning = utc("2026-06-02T05:00:00Z"); // 07:00 CEST
    assert_eq!(quiet_until(&plan, 5, utc("2026-06-01T17:59:59Z")), None); // 19:59:59
    assert_eq!(
        quiet_until(&plan, 5, utc("2026-06-01T18:00:00Z")),
        Some(morning)
    ); // 20:00
    assert_eq!(
        quiet_until(&plan, 5, utc("2026-06-01T21:30:00Z")),
        Some(morning)
    ); // 23:30
    assert_eq!(
        quiet_until(&plan, 5, utc("2026-06-01T22:30:00Z")),
        Some(morning)
    ); // 00:30
    assert_eq!(
        quiet_until(&plan, 5, utc("2026-06-02T04:59:00Z")),
        Some(morning)
    ); // 06:59
    assert_eq!(quiet_until(&plan, 5, morning), None); // 07:00
                                                      // Hours that do not wrap.
    quiet(&mut plan, "12:00", "13:30");
    assert_eq!(
        quiet_until(&plan, 0, utc("2026-06-01T10:30:00Z")),
        Some(utc("2026-06-01T11:30:00Z"))
    );
    assert_eq!(quiet_until(&plan, 0, utc("2026-06-01T09:59:00Z")), None);
    assert_eq!(quiet_until(&plan, 0, utc("2026-06-01T11:30:00Z")), None);
    // No quiet hours: nothing held.
    plan.quiet_hours = None;
    assert_eq!(quiet_until(&plan, 0, utc("2026-06-01T10:30:00Z")), None);
}

#[test]
fn critical_alerts_are_sent_during_quiet_hours() {
    let mut plan = plan(vec![(
        "high",
        rule(&["dev-slack"], &[], DeliveryMode::Immediate, 0),
    )]);
    quiet(&mut plan, "20:00", "07:00");
    let channels = vec![other("dev-slack", ChannelKind::Slack)];
    let contacts = contacts();
    let app = app("high", &contacts);
    let night = utc("2026-06-01T21:30:00Z");
    let held = route(&plan, &channels, &app, &alert(7), night);
    assert_eq!(held[0].send_at, utc("2026-06-02T05:00:00Z"));
    assert_eq!(held[0].mode, DeliveryMode::Immediate);
    assert_eq!(
        held[0].why.last().unwrap(),
        "held by quiet hours until 07:00 Europe/Berlin"
    );
    let sent = route(&plan, &channels, &app, &alert(8), night);
    assert_eq!(sent[0].send_at, night);
    assert_eq!(
        sent[0].why.last().unwrap(),
        "sent during quiet hours: threat level 8 is at least 8"
    );
    // The exception threshold is the plan's.
    plan.quiet_hours.as_mut().unwrap().except_at_least = 10;
    assert_eq!(
        quiet_until(&plan, 9, night),
        Some(utc("2026-06-02T05:00:00Z"))
    );
    assert_eq!(quiet_until(&plan, 10, night), None);
}

#[test]
fn quiet_hours_end_by_the_local_clock_on_a_dst_day() {
    let mut plan = Plan {
        timezone: "Europe/Berlin".into(),
        ..Plan::default()
    };
    quiet(&mut plan, "22:00", "07:00");
    // The night of the spring-forward (2026-03-29, 02:00 CET → 03:00 CEST): at 01:30 CET the
    // hours end at 07:00 CEST, 05:00 UTC, not 06:00.
    assert_eq!(
        quiet_until(&plan, 0, utc("2026-03-29T00:30:00Z")),
        Some(utc("2026-03-29T05:00:00Z"))
    );
    // They began at 22:00 CET on the 28th (21:00 UTC).
    assert_eq!(quiet_until(&plan, 0, utc("2026-03-28T20:59:00Z")), None);
    assert_eq!(
        quiet_until(&plan, 0, utc("2026-03-28T21:00:00Z")),
        Some(utc("2026-03-29T05:00:00Z"))
    );
    // An end the clocks skip is the end of the gap (03:00 CEST).
    quiet(&mut plan, "22:00", "02:30");
    assert_eq!(
        quiet_until(&plan, 0, utc("2026-03-29T00:30:00Z")),
        Some(utc("2026-03-29T01:00:00Z"))
    );
    // Fall back (2026-10-25): 07:00 CET is 06:00 UTC.
    quiet(&mut plan, "22:00", "07:00");
    assert_eq!(
        quiet_until(&plan, 0, utc("2026-10-25T01:30:00Z")),
        Some(utc("2026-10-25T06:00:00Z"))
    );
}

// --- SLA and escalation ------------------------------------------------------------------

#[test]
fn sla_days_go_by_threat_band() {
    let plan = Plan::default();
    for (level, days) in [
        (10, Some(7)),
        (8, Some(7)),
        (7, Some(30)),
        (4, Some(30)),
        (3, Some(90)),
        (2, Some(90)),
        (1, None),
        (0, None),
    ] {
        assert_eq!(sla_days(&plan, level), days, "level {level}");
    }
    assert_eq!(
        [
            band(0),
            band(1),
            band(2),
            band(3),
            band(4),
            band(7),
            band(8),
            band(10)
        ],
        ["low", "low", "moderate", "moderate", "severe", "severe", "critical", "critical"]
    );
}

#[test]
fn escalations_go_to_the_escalation_roles_through_every_email_channel_by_default() {
    let mut plan = plan(vec![(
        "high",
        rule(&["dev-slack"], &["owner"], DeliveryMode::Digest, 0),
    )]);
    quiet(&mut plan, "20:00", "07:00");
    let channels = vec![
        email("appsec-mail", &["sec@example.com"], &["owner"]),
        other("dev-slack", ChannelKind::Slack),
        email("ops-mail", &[], &[]),
        disabled(email("old-mail", &[], &[])),
    ];
    let contacts = contacts();
    let app = app("high", &contacts);
    let routes = escalation_routes(&plan, &channels, &app, 5, utc(NOON));
    assert_eq!(names(&routes), ["appsec-mail", "ops-mail"]);
    for r in &routes {
        // The manager only: not the channel's `to`, nor its roles, nor the tier's.
        assert_eq!(r.recipients, strings(&["mia@example.com"]));
        // Never in the digest.
        assert_eq!((r.mode, r.send_at), (DeliveryMode::Immediate, utc(NOON)));
    }
    assert_eq!(routes[0].why[0], "open past the severe SLA of 30 days → appsec-mail (every enabled email channel: the SLA names none)");
    assert!(routes[0]
        .why
        .contains(&"escalates to role manager → mia@example.com".to_string()));

    // Quiet hours hold a severe escalation, not a critical one.
    let night = utc("2026-06-01T21:30:00Z");
    assert_eq!(
        escalation_routes(&plan, &channels, &app, 5, night)[0].send_at,
        utc("2026-06-02T05:00:00Z")
    );
    plan.quiet_hours.as_mut().unwrap().except_at_least = 11;
    assert_eq!(
        escalation_routes(&plan, &channels, &app, 9, night)[0].send_at,
        night
    );

    // An ESCALATED alert given to `route` goes the same way.
    let escalated = AlertFacts {
        kind: AlertKind::Escalated,
        ..alert(9)
    };
    assert_eq!(
        route(&plan, &channels, &app, &escalated, night),
        escalation_routes(&plan, &channels, &app, 9, night)
    );

    // A band with no SLA never escalates.
    assert!(escalation_routes(&plan, &channels, &app, 1, utc(NOON)).is_empty());
    let low = AlertFacts {
        kind: AlertKind::Escalated,
        ..alert(1)
    };
    assert_eq!(
        silent_because(&plan, &channels, &app, &low).as_deref(),
        Some("the low band has no SLA: it never escalates")
    );
}

#[test]
fn escalations_use_the_slas_channels_when_it_names_them() {
    let plan = Plan {
        sla: Sla {
            escalate_to: strings(&["manager", "security"]),
            channels: strings(&["jira-sec", "managers-mail", "off-mail"]),
            ..Sla::default()
        },
        ..plan(vec![])
    };
    let channels = vec![
        other("jira-sec", ChannelKind::Jira),
        email("managers-mail", &["boss@example.com"], &[]),
        email("appsec-mail", &["sec@example.com"], &[]),
        disabled(email("off-mail", &[], &[])),
    ];
    let contacts = contacts();
    let routes = escalation_routes(&plan, &channels, &app("low", &contacts), 9, utc(NOON));
    assert_eq!(names(&routes), ["jira-sec", "managers-mail"]);
    assert!(of(&routes, "jira-sec").recipients.is_empty());
    assert_eq!(
        of(&routes, "managers-mail").recipients,
        strings(&["mia@example.com", "sam@example.com"])
    );

    // Nobody holds the roles: the email route is dropped, the Jira one stays.
    let no_one = vec![contact("owner", "Alice", "alice@example.com")];
    assert_eq!(
        names(&escalation_routes(
            &plan,
            &channels,
            &app("low", &no_one),
            9,
            utc(NOON)
        )),
        ["jira-sec"]
    );
    let mail_only = &channels[1..];
    let escalated = AlertFacts {
        kind: AlertKind::Escalated,
        ..alert(9)
    };
    assert_eq!(
        silent_because(&plan, mail_only, &app("low", &no_one), &escalated).as_deref(),
        Some("email channel managers-mail has no recipient for this application")
    );
}

// --- waivers ---------------------------------------------------------------------------------

#[test]
fn waiver_alerts_go_to_the_waiver_channels_else_every_tiers_channels() {
    let mut plan = plan(vec![
        ("low", rule(&["ops-mail"], &[], DeliveryMode::Immediate, 0)),
        (
            "critical",
            rule(
                &["dev-slack", "appsec-mail"],
                &["manager"],
                DeliveryMode::Digest,
                0,
            ),
        ),
        (
            "high",
            rule(
                &["appsec-mail", "off-slack"],
                &[],
                DeliveryMode::Immediate,
                0,
            ),
        ),
    ]);
    let channels = vec![
        email("appsec-mail", &["sec@example.com"], &["owner"]),
        other("dev-slack", ChannelKind::Slack),
        email("ops-mail", &["ops@example.com"], &[]),
        disabled(other("off-slack", ChannelKind::Slack)),
        other("unused-teams", ChannelKind::Teams),
    ];
    let contacts = contacts();
    let app = app("high", &contacts);
    // Every tier's channels, critical first, once each, enabled only.
    let routes = waiver_routes(&plan, &channels, Some(&app), utc(NOON));
    assert_eq!(names(&routes), ["dev-slack", "appsec-mail", "ops-mail"]);
    // Scoped to one application: its contacts of the channel's roles (not the tier's roles).
    assert_eq!(
        of(&routes, "appsec-mail").recipients,
        strings(&["alice@example.com", "olga@example.com", "sec@example.com"])
    );
    assert_eq!(
        of(&routes, "appsec-mail").why[0],
        "waiver expiring: a channel of tier critical → appsec-mail"
    );
    assert!(routes
        .iter()
        .all(|r| r.mode == DeliveryMode::Immediate && r.send_at == utc(NOON)));
    // Not scoped to one application: the fixed recipients only.
    let routes = waiver_routes(&plan, &channels, None, utc(NOON));
    assert_eq!(
        of(&routes, "appsec-mail").recipients,
        strings(&["sec@example.com"])
    );

    // The plan's waiver channels, when it names them.
    plan.waivers.channels = strings(&["ops-mail", "unused-teams"]);
    assert_eq!(
        names(&waiver_routes(&plan, &channels, None, utc(NOON))),
        ["ops-mail", "unused-teams"]
    );

    // Quiet hours hold them as an alert of threat level 0.
    quiet(&mut plan, "20:00", "07:00");
    let night = utc("2026-06-01T21:30:00Z");
    assert_eq!(
        waiver_routes(&plan, &channels, None, night)[0].send_at,
        utc("2026-06-02T05:00:00Z")
    );

    // An open plan: every enabled channel.
    let open = Plan::default();
    assert_eq!(
        names(&waiver_routes(&open, &channels, None, utc(NOON))),
        ["appsec-mail", "dev-slack", "ops-mail", "unused-teams"]
    );
}
