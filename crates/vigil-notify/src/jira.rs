//! Jira REST v2 (Data Center) and v3 (Cloud), Basic auth `user:token`.
//!
//! One violation is one issue, found again by its label `vigil-<key>`: every line searches
//! for that label before it creates anything, so a retry after a crash (or a lost answer to a
//! create) comments on the issue it opened instead of opening a second one. Issues are also
//! labelled `vigil-delivery-<id>`, so a retry of the same delivery does not even comment on
//! the issue it created; and a retry looks at an issue's comments before commenting, so it
//! does not say the same thing twice.
//!
//! Per violation: NEW → create (or comment when the issue exists), CHANGED/ESCALATED →
//! comment (or create when there is none yet), RESOLVED → the configured transition, else a
//! comment. Per application run: one issue for the notice's new lines, labelled with each
//! of their keys; changed and resolved lines comment on the issue carrying their label.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};

use crate::http::{self, Hide};
use crate::notice::AlertKind;
use crate::render::jira as text;
use crate::send::Sender;
use crate::{
    Answer, AppNotice, Failure, JiraConfig, JiraGrouping, NoticeKind, Outgoing, ViolationNotice,
};

pub(crate) fn send(
    sender: &Sender,
    config: &JiraConfig,
    out: &Outgoing<'_>,
) -> Result<Answer, Failure> {
    let Some(token) = out.secrets.token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(Failure::permanent(
            "no Jira API token is stored in the keyring for this channel",
        ));
    };
    if !matches!(config.api_version, 2 | 3) {
        return Err(Failure::permanent(format!(
            "Jira REST API version {} is not supported (2 or 3)",
            config.api_version
        )));
    }
    let jira = Jira::new(sender, config, out, token);
    match out.notice.kind {
        NoticeKind::Violations | NoticeKind::Digest | NoticeKind::Escalation => {}
        NoticeKind::Test => return jira.test(),
        NoticeKind::WaiverExpiring
        | NoticeKind::EvaluationCompleted
        | NoticeKind::AdvisoriesUpdated => {
            return Ok(Answer {
                status: None,
                text: "skipped: Jira channels file violations only".into(),
                reference: None,
            })
        }
    }
    let mut log = Log::default();
    for app in &out.notice.applications {
        match config.grouping {
            JiraGrouping::PerViolation => {
                for v in &app.violations {
                    jira.per_violation(app, v, &mut log)?;
                }
            }
            JiraGrouping::PerApplicationRun => jira.per_run(app, &mut log)?,
        }
    }
    Ok(log.answer())
}

/// What a send did, for the answer: `created VIG-1; commented on VIG-2`.
#[derive(Default)]
struct Log {
    actions: Vec<String>,
    keys: Vec<String>,
    status: Option<u16>,
}

impl Log {
    fn did(&mut self, action: String, key: &str) {
        self.actions.push(action);
        if !self.keys.iter().any(|k| k == key) {
            self.keys.push(key.to_string());
        }
    }

    fn commented(&mut self, done: bool, key: &str) {
        let action = if done {
            "commented on"
        } else {
            "already commented on"
        };
        self.did(format!("{action} {key}"), key);
    }

    fn answer(self) -> Answer {
        let text = if self.actions.is_empty() {
            "Jira: nothing to do".to_string()
        } else {
            format!("Jira: {}", self.actions.join("; "))
        };
        Answer {
            status: self.status,
            text: crate::render::truncate(&text, 300),
            reference: if self.keys.is_empty() {
                None
            } else {
                Some(self.keys.join(","))
            },
        }
    }
}

/// An issue found by label.
struct Found {
    key: String,
    labels: Vec<String>,
}

struct Jira<'a> {
    sender: &'a Sender,
    config: &'a JiraConfig,
    out: &'a Outgoing<'a>,
    base: String,
    auth: String,
    hide: Hide,
    delivery_label: String,
    /// The status of the last answer, for [`Answer::status`].
    last_status: std::cell::Cell<Option<u16>>,
}

impl<'a> Jira<'a> {
    fn new(
        sender: &'a Sender,
        config: &'a JiraConfig,
        out: &'a Outgoing<'a>,
        token: &str,
    ) -> Jira<'a> {
        let mut hide = Hide::new(out.secrets);
        let auth = format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{token}", config.user))
        );
        hide.add(&auth);
        hide.add(auth.trim_start_matches("Basic "));
        let delivery: String = out
            .delivery_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        Jira {
            sender,
            config,
            out,
            base: format!(
                "{}/rest/api/{}",
                config.url.trim().trim_end_matches('/'),
                config.api_version
            ),
            auth,
            hide,
            delivery_label: format!("vigil-delivery-{delivery}"),
            last_status: std::cell::Cell::new(None),
        }
    }

    /// One REST call; a non-2xx answer is a classified [`Failure`]. The JSON answer, or null.
    fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<Value, Failure> {
        let mut url = reqwest::Url::parse(&format!("{}/{path}", self.base)).map_err(|e| {
            Failure::permanent(format!(
                "the Jira URL {} is not valid: {e}",
                self.config.url
            ))
        })?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut request = self
            .sender
            .http
            .request(method.clone(), url)
            .header(reqwest::header::AUTHORIZATION, &self.auth)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        let reply = http::execute(request, self.out.now, &self.hide)?;
        self.last_status.set(Some(reply.status));
        http::judge(&reply, &self.hide).map_err(|mut failure| {
            failure.answer = format!("Jira {method} {path}: {}", failure.answer);
            failure
        })?;
        Ok(serde_json::from_str(&reply.body).unwrap_or(Value::Null))
    }

    fn api(&self) -> u8 {
        self.config.api_version
    }

    /// "Send test": who the token logs in as; nothing is created.
    fn test(&self) -> Result<Answer, Failure> {
        let me = self.call(Method::GET, "myself", &[], None)?;
        let name = ["displayName", "name", "accountId"]
            .iter()
            .find_map(|field| me.get(field).and_then(Value::as_str))
            .unwrap_or("?");
        Ok(Answer {
            status: self.last_status.get(),
            text: format!("Jira: logged in as {name}"),
            reference: None,
        })
    }

    /// The issue carrying every one of `labels`, if any (the first Jira lists, should some
    /// other tool have made several).
    fn search(&self, labels: &[&str]) -> Result<Option<Found>, Failure> {
        let jql = labels
            .iter()
            .map(|label| format!("labels = \"{label}\""))
            .collect::<Vec<_>>()
            .join(" AND ");
        let answer = if self.api() >= 3 {
            // The enhanced search (POST /rest/api/3/search/jql) replaces Cloud's /search.
            let body = json!({"jql": jql, "fields": ["labels", "summary"], "maxResults": 1});
            self.call(Method::POST, "search/jql", &[], Some(body))?
        } else {
            self.call(
                Method::GET,
                "search",
                &[
                    ("jql", &jql),
                    ("fields", "labels,summary"),
                    ("maxResults", "1"),
                ],
                None,
            )?
        };
        let first = answer
            .get("issues")
            .and_then(Value::as_array)
            .and_then(|issues| issues.first());
        Ok(first.and_then(|issue| {
            let key = issue.get("key").and_then(Value::as_str)?.to_string();
            let labels = issue
                .pointer("/fields/labels")
                .and_then(Value::as_array)
                .map(|ls| {
                    ls.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            Some(Found { key, labels })
        }))
    }

    fn create(
        &self,
        summary: String,
        description: text::JiraText,
        mut labels: Vec<String>,
    ) -> Result<String, Failure> {
        labels.push(self.delivery_label.clone());
        let body = json!({"fields": {
            "project": {"key": self.config.project},
            "issuetype": {"name": self.config.issue_type},
            "summary": summary,
            "description": description.body(self.api()),
            "labels": labels,
        }});
        let created = self.call(Method::POST, "issue", &[], Some(body))?;
        created
            .get("key")
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| Failure::retry("Jira created an issue but did not say its key"))
    }

    /// Comments once: on a retry, an issue that already has this delivery's comment (its
    /// footer names the delivery) is left alone. False when it was there already.
    fn comment(&self, key: &str, body: text::JiraText) -> Result<bool, Failure> {
        if self.out.attempt > 1 && self.has_comment_of_this_delivery(key)? {
            return Ok(false);
        }
        self.call(
            Method::POST,
            &format!("issue/{key}/comment"),
            &[],
            Some(json!({"body": body.body(self.api())})),
        )?;
        Ok(true)
    }

    fn has_comment_of_this_delivery(&self, key: &str) -> Result<bool, Failure> {
        let path = format!("issue/{key}/comment");
        let listed = self.call(Method::GET, &path, &[("maxResults", "5000")], None)?;
        let mark = text::delivery_mark(self.out.delivery_id);
        let comments = listed.get("comments").and_then(Value::as_array);
        Ok(comments.is_some_and(|comments| {
            comments
                .iter()
                .any(|c| c.get("body").is_some_and(|b| b.to_string().contains(&mark)))
        }))
    }

    /// Applies the transition named `name`; false when the issue offers none of that name
    /// (already resolved, or another workflow).
    fn transition(&self, key: &str, name: &str) -> Result<bool, Failure> {
        let path = format!("issue/{key}/transitions");
        let offered = self.call(Method::GET, &path, &[], None)?;
        let id = offered
            .get("transitions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|t| {
                t.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .and_then(|t| t.get("id").and_then(Value::as_str).map(String::from));
        let Some(id) = id else {
            return Ok(false);
        };
        self.call(
            Method::POST,
            &path,
            &[],
            Some(json!({"transition": {"id": id}})),
        )?;
        Ok(true)
    }

    fn per_violation(
        &self,
        app: &AppNotice,
        v: &ViolationNotice,
        log: &mut Log,
    ) -> Result<(), Failure> {
        let label = text::violation_label(v);
        let notice = self.out.notice;
        let id = self.out.delivery_id;
        let existing = self.search(&[&label])?;
        match (v.kind, existing) {
            (AlertKind::Resolved, None) => {}
            (AlertKind::New | AlertKind::Changed | AlertKind::Escalated, None) => {
                let key = self.create(
                    text::violation_summary(app, v),
                    text::violation_description(notice, app, v, id),
                    text::violation_labels(v),
                )?;
                log.did(format!("created {key}"), &key);
            }
            (_, Some(found)) if found.labels.contains(&self.delivery_label) => {
                // This delivery created it on an earlier attempt.
                log.did(format!("created {}", found.key), &found.key);
            }
            (AlertKind::Resolved, Some(found)) => {
                let moved = match self
                    .config
                    .resolve_transition
                    .as_deref()
                    .filter(|t| !t.is_empty())
                {
                    Some(name) => self.transition(&found.key, name)?.then(|| name.to_string()),
                    None => None,
                };
                match moved {
                    Some(name) => log.did(format!("moved {} to {name}", found.key), &found.key),
                    None => {
                        let done =
                            self.comment(&found.key, text::violation_comment(notice, v, id))?;
                        log.commented(done, &found.key);
                    }
                }
            }
            (AlertKind::New | AlertKind::Changed | AlertKind::Escalated, Some(found)) => {
                let done = self.comment(&found.key, text::violation_comment(notice, v, id))?;
                log.commented(done, &found.key);
            }
        }
        log.status = self.last_status.get().or(log.status);
        Ok(())
    }

    fn per_run(&self, app: &AppNotice, log: &mut Log) -> Result<(), Failure> {
        let notice = self.out.notice;
        let id = self.out.delivery_id;
        let (fresh, others): (Vec<&ViolationNotice>, Vec<&ViolationNotice>) = app
            .violations
            .iter()
            .partition(|v| v.kind == AlertKind::New);
        if let Some(first) = fresh.first() {
            // This delivery's issue for this application, if an earlier attempt created it (a
            // digest makes one per application, all with the delivery's label).
            let first = text::violation_label(first);
            match self.search(&[&self.delivery_label, &first])? {
                Some(found) => log.did(format!("created {}", found.key), &found.key),
                None => {
                    let mut labels = vec!["vigil".to_string()];
                    for v in &fresh {
                        let label = text::violation_label(v);
                        if !labels.contains(&label) {
                            labels.push(label);
                        }
                    }
                    let mut one_app = notice.clone();
                    one_app.applications = vec![AppNotice {
                        violations: fresh.iter().map(|v| (*v).clone()).collect(),
                        ..app.clone()
                    }];
                    let key = self.create(
                        text::run_summary(notice, app, fresh.len()),
                        text::run_description(&one_app, id),
                        labels,
                    )?;
                    log.did(format!("created {key}"), &key);
                }
            }
        }
        for v in others {
            if let Some(found) = self.search(&[&text::violation_label(v)])? {
                let done = self.comment(&found.key, text::violation_comment(notice, v, id))?;
                log.commented(done, &found.key);
            }
        }
        log.status = self.last_status.get().or(log.status);
        Ok(())
    }
}
