// The channel editor's form and its conversion to a `ChannelInput`. Secrets are write-only:
// the form starts every secret field empty, shows "stored in the keyring" where the channel
// has that secret (`ChannelDto.secrets`), sends a typed value, leaves an untouched one out (the
// engine keeps it) and sends "" when the user asked to remove it.
import type { ChannelConfig } from "../ipc/bindings/ChannelConfig";
import type { ChannelDto } from "../ipc/bindings/ChannelDto";
import type { ChannelInput } from "../ipc/bindings/ChannelInput";
import type { ChannelKind } from "../ipc/bindings/ChannelKind";
import type { EmailSecurity } from "../ipc/bindings/EmailSecurity";
import type { JiraGrouping } from "../ipc/bindings/JiraGrouping";
import type { SecretKind } from "../ipc/bindings/SecretKind";
import type { WebhookEvent } from "../ipc/bindings/WebhookEvent";

/** The kinds a person adds; the desktop channel is created by the app itself. */
export const ADDABLE_KINDS: { kind: ChannelKind; label: string }[] = [
  { kind: "email", label: "Email (SMTP)" },
  { kind: "webhook", label: "Webhook" },
  { kind: "slack", label: "Slack" },
  { kind: "teams", label: "Microsoft Teams" },
  { kind: "mattermost", label: "Mattermost" },
  { kind: "jira", label: "Jira" },
];

export function kindLabel(kind: ChannelKind): string {
  if (kind === "desktop") return "Desktop";
  return ADDABLE_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

export const WEBHOOK_EVENTS: WebhookEvent[] = [
  "violation.new",
  "violation.changed",
  "violation.resolved",
  "evaluation.completed",
  "waiver.expiring",
  "advisories.updated",
  "ping",
];

export const ROLES = ["owner", "developer", "security", "manager"];

/** Each kind's secrets, with the label its field has. */
export const SECRETS: Record<ChannelKind, { kind: SecretKind; label: string; hint: string }[]> = {
  email: [{ kind: "password", label: "Password", hint: "SMTP AUTH password" }],
  webhook: [
    { kind: "signing_secret", label: "Signing secret", hint: "whsec_… (Standard Webhooks); the receiver checks the signature with it" },
    { kind: "authorization", label: "Authorization header", hint: "sent as is with every request, e.g. Bearer …" },
  ],
  slack: [{ kind: "url", label: "Webhook URL", hint: "the incoming-webhook URL, which is itself the credential" }],
  teams: [{ kind: "url", label: "Webhook URL", hint: "the incoming-webhook (workflow) URL, which is itself the credential" }],
  mattermost: [{ kind: "url", label: "Webhook URL", hint: "the incoming-webhook URL, which is itself the credential" }],
  jira: [{ kind: "token", label: "API token", hint: "a personal access token (Data Center) or an API token (Cloud)" }],
  desktop: [],
};

/** One secret field: what was typed (never a stored value) and whether to remove the stored one. */
export type SecretField = { value: string; remove: boolean };

export type ChannelForm = {
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  /** Messages per minute; "" keeps the kind's default. */
  rate: string;
  // Email
  host: string;
  port: string;
  security: EmailSecurity;
  from: string;
  to: string[];
  toRoles: string[];
  user: string;
  caFile: string;
  // Webhook and Jira
  url: string;
  events: WebhookEvent[];
  // Slack, Teams, Mattermost: what may be shown of the stored URL
  urlHint: string;
  // Jira
  project: string;
  issueType: string;
  jiraUser: string;
  apiVersion: number;
  grouping: JiraGrouping;
  resolveTransition: string;
  /** The secrets the channel has in the keyring. */
  stored: SecretKind[];
  secrets: Partial<Record<SecretKind, SecretField>>;
};

function secretFields(kind: ChannelKind): Partial<Record<SecretKind, SecretField>> {
  const out: Partial<Record<SecretKind, SecretField>> = {};
  for (const s of SECRETS[kind]) out[s.kind] = { value: "", remove: false };
  return out;
}

export function emptyForm(kind: ChannelKind): ChannelForm {
  return {
    kind,
    name: "",
    enabled: true,
    rate: "",
    host: "",
    port: "587",
    security: "starttls",
    from: "",
    to: [],
    toRoles: [],
    user: "",
    caFile: "",
    url: "",
    events: [],
    urlHint: "",
    project: "",
    issueType: "Bug",
    jiraUser: "",
    apiVersion: 2,
    grouping: "per_violation",
    resolveTransition: "",
    stored: [],
    secrets: secretFields(kind),
  };
}

/** The form for editing `channel`: its configuration, every secret field empty. */
export function formFromChannel(channel: ChannelDto): ChannelForm {
  const form = emptyForm(channel.kind);
  form.name = channel.name;
  form.enabled = channel.enabled;
  form.rate = channel.rate_per_minute > 0 ? String(channel.rate_per_minute) : "";
  form.stored = [...channel.secrets];
  const c = channel.config;
  switch (c.kind) {
    case "email":
      form.host = c.host;
      form.port = String(c.port);
      form.security = c.security;
      form.from = c.from;
      form.to = [...c.to];
      form.toRoles = [...c.to_roles];
      form.user = c.user ?? "";
      form.caFile = c.ca_file ?? "";
      break;
    case "webhook":
      form.url = c.url;
      form.events = [...c.events];
      break;
    case "slack":
    case "teams":
    case "mattermost":
      form.urlHint = c.url_hint;
      break;
    case "jira":
      form.url = c.url;
      form.project = c.project;
      form.issueType = c.issue_type;
      form.jiraUser = c.user;
      form.apiVersion = c.api_version;
      form.grouping = c.grouping;
      form.resolveTransition = c.resolve_transition ?? "";
      break;
    case "desktop":
      break;
  }
  return form;
}

/**
 * What may be shown of an incoming-webhook URL: scheme, host and the start of the path
 * (`https://hooks.slack.com/services/T0…`). The rest is the credential.
 */
export function urlHint(url: string): string {
  try {
    const u = new URL(url.trim());
    const path = u.pathname.split("/").filter((p) => p !== "");
    const start = path.length > 0 ? `/${path[0]}/…` : "";
    return `${u.protocol}//${u.host}${start}`;
  } catch {
    return "";
  }
}

const blankToNull = (s: string): string | null => (s.trim() === "" ? null : s.trim());

function config(form: ChannelForm): ChannelConfig {
  switch (form.kind) {
    case "email":
      return {
        kind: "email",
        host: form.host.trim(),
        port: Number(form.port),
        security: form.security,
        from: form.from.trim(),
        to: form.to,
        to_roles: form.toRoles,
        user: blankToNull(form.user),
        ca_file: blankToNull(form.caFile),
      };
    case "webhook":
      return { kind: "webhook", url: form.url.trim(), events: form.events };
    case "slack":
    case "teams":
    case "mattermost": {
      const typed = form.secrets.url?.value.trim() ?? "";
      return { kind: form.kind, url_hint: typed !== "" ? urlHint(typed) : form.urlHint };
    }
    case "jira":
      return {
        kind: "jira",
        url: form.url.trim(),
        project: form.project.trim(),
        issue_type: form.issueType.trim(),
        user: form.jiraUser.trim(),
        api_version: form.apiVersion,
        grouping: form.grouping,
        resolve_transition: blankToNull(form.resolveTransition),
      };
    case "desktop":
      return { kind: "desktop" };
  }
}

/**
 * The input the engine gets. Secrets: a typed value is sent; "remove" on a stored secret sends
 * "" (the engine removes it); an untouched field is left out (the engine keeps what it has).
 */
export function toChannelInput(form: ChannelForm): ChannelInput {
  const secrets: ChannelInput["secrets"] = {};
  for (const { kind } of SECRETS[form.kind]) {
    const field = form.secrets[kind];
    if (!field) continue;
    if (field.remove) {
      if (form.stored.includes(kind)) secrets[kind] = "";
    } else if (field.value.trim() !== "") {
      secrets[kind] = field.value.trim();
    }
  }
  const rate = form.rate.trim();
  return {
    name: form.name.trim(),
    config: config(form),
    secrets,
    rate_per_minute: rate === "" ? null : Number(rate),
    enabled: form.enabled,
  };
}

/** What the secret field shows when empty. */
export function secretPlaceholder(form: ChannelForm, kind: SecretKind): string {
  const field = form.secrets[kind];
  if (form.stored.includes(kind)) {
    return field?.remove ? "will be removed" : "stored in the keyring — type to replace";
  }
  return "not set";
}

const isHttpUrl = (s: string) => {
  try {
    const u = new URL(s.trim());
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
};

/** `whsec_` + base64 of at least 16 bytes, as the engine and Standard Webhooks want it. */
function isSigningSecret(secret: string): boolean {
  if (!secret.startsWith("whsec_")) return false;
  try {
    return atob(secret.slice("whsec_".length)).length >= 16;
  } catch {
    return false;
  }
}

/**
 * Problems a person should hear of before saving, by field (the engine checks again). `isNew`
 * because a new chat or Jira channel needs its credential, a changed one may keep it.
 */
export function checkChannelForm(form: ChannelForm, isNew: boolean, otherNames: readonly string[]): Record<string, string> {
  const problems: Record<string, string> = {};
  const name = form.name.trim();
  if (name === "") problems.name = "A channel needs a name";
  else if (otherNames.includes(name)) problems.name = `There is already a channel named ${name}`;
  const rate = form.rate.trim();
  if (rate !== "" && !(/^\d+$/.test(rate) && Number(rate) > 0)) problems.rate = "A whole number of messages per minute, or empty for the default";
  const secret = (kind: SecretKind) => form.secrets[kind]?.value.trim() ?? "";
  const has = (kind: SecretKind) => secret(kind) !== "" || (form.stored.includes(kind) && !form.secrets[kind]?.remove);
  switch (form.kind) {
    case "email": {
      if (form.host.trim() === "") problems.host = "The SMTP server's host name";
      const port = Number(form.port);
      if (!/^\d+$/.test(form.port.trim()) || port < 1 || port > 65535) problems.port = "A port between 1 and 65535";
      if (!/^[^@\s]+@[^@\s]+$/.test(form.from.trim())) problems.from = "The sender's address (name@example.com)";
      const bad = form.to.find((a) => !/^[^@\s]+@[^@\s]+$/.test(a));
      if (bad !== undefined) problems.to = `${bad} is not an email address`;
      else if (form.to.length === 0 && form.toRoles.length === 0) problems.to = "Name recipients, roles, or both";
      if (secret("password") !== "" && form.user.trim() === "") problems.user = "A password needs a user name";
      else if (form.user.trim() !== "" && !has("password")) problems.password = "A user needs its password";
      break;
    }
    case "webhook":
      if (!isHttpUrl(form.url)) problems.url = "The receiver's http(s) URL";
      if (secret("signing_secret") !== "" && !isSigningSecret(secret("signing_secret"))) {
        problems.signing_secret = "A Standard Webhooks secret: whsec_ followed by base64 of at least 16 bytes";
      }
      break;
    case "slack":
    case "teams":
    case "mattermost":
      if (secret("url") !== "" && !isHttpUrl(secret("url"))) problems.url = "The incoming-webhook URL (https://…)";
      else if ((isNew || form.secrets.url?.remove) && !has("url")) problems.url = "The incoming-webhook URL (https://…)";
      break;
    case "jira":
      if (!isHttpUrl(form.url)) problems.url = "The Jira site (https://example.atlassian.net)";
      if (form.project.trim() === "") problems.project = "The project key (SEC)";
      if (form.issueType.trim() === "") problems.issueType = "The issue type (Bug, Task, …)";
      if (form.jiraUser.trim() === "") problems.jiraUser = "The user the token belongs to";
      if (!has("token")) problems.token = "The API token";
      break;
    case "desktop":
      break;
  }
  return problems;
}

/** Where a channel's messages go, in one short line for the list. */
export function channelTarget(channel: ChannelDto): string {
  const c = channel.config;
  switch (c.kind) {
    case "email": {
      const to = [...c.to, ...c.to_roles.map((r) => `${r}s`)];
      return `${c.host}:${c.port} → ${to.length > 0 ? to.join(", ") : "nobody yet"}`;
    }
    case "webhook":
      return c.events.length > 0 ? `${c.url} (${c.events.join(", ")})` : c.url;
    case "slack":
    case "teams":
    case "mattermost":
      return c.url_hint;
    case "jira":
      return `${c.url} · project ${c.project} · ${c.issue_type}`;
    case "desktop":
      return "this computer's notifications";
  }
}
