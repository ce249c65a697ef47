import { describe, expect, it } from "vitest";
import type { ChannelDto } from "../ipc/bindings/ChannelDto";
import { channelTarget, checkChannelForm, emptyForm, formFromChannel, secretPlaceholder, toChannelInput, urlHint } from "./form";

function dto(over: Partial<ChannelDto>): ChannelDto {
  return {
    name: "hooks",
    kind: "webhook",
    config: { kind: "webhook", url: "https://hooks.example.com/vigil", events: ["violation.new"] },
    secrets: [],
    enabled: true,
    disabled_reason: null,
    rate_per_minute: 60000,
    created_at: "2026-03-10T12:00:00Z",
    last_success_at: null,
    last_failure_at: null,
    last_answer: null,
    pending: 0,
    failed: 0,
    ...over,
  };
}

describe("the channel form → ChannelInput", () => {
  it("a new webhook sends its URL, events and typed secrets", () => {
    const form = emptyForm("webhook");
    form.name = " hooks ";
    form.url = " https://hooks.example.com/vigil ";
    form.events = ["violation.new", "ping"];
    form.secrets.signing_secret!.value = "whsec_c2VjcmV0";
    expect(toChannelInput(form)).toEqual({
      name: "hooks",
      config: { kind: "webhook", url: "https://hooks.example.com/vigil", events: ["violation.new", "ping"] },
      secrets: { signing_secret: "whsec_c2VjcmV0" },
      rate_per_minute: null,
      enabled: true,
    });
  });

  it("an untouched stored secret is left out (kept), a removed one is sent empty", () => {
    const form = formFromChannel(dto({ secrets: ["signing_secret", "authorization"] }));
    expect(form.secrets.signing_secret).toEqual({ value: "", remove: false });
    expect(toChannelInput(form).secrets).toEqual({});
    form.secrets.authorization!.remove = true;
    expect(toChannelInput(form).secrets).toEqual({ authorization: "" });
    form.secrets.signing_secret!.value = "whsec_bmV3";
    expect(toChannelInput(form).secrets).toEqual({ authorization: "", signing_secret: "whsec_bmV3" });
  });

  it("removing a secret the channel does not have sends nothing", () => {
    const form = formFromChannel(dto({ secrets: [] }));
    form.secrets.authorization!.remove = true;
    expect(toChannelInput(form).secrets).toEqual({});
  });

  it("says 'stored in the keyring' only where a secret is stored, and never holds its value", () => {
    const form = formFromChannel(dto({ secrets: ["signing_secret"] }));
    expect(secretPlaceholder(form, "signing_secret")).toBe("stored in the keyring — type to replace");
    expect(secretPlaceholder(form, "authorization")).toBe("not set");
    form.secrets.signing_secret!.remove = true;
    expect(secretPlaceholder(form, "signing_secret")).toBe("will be removed");
    expect(JSON.stringify(form)).not.toContain("whsec_");
  });

  it("email round-trips its configuration, blanks as null, with the rate", () => {
    const channel = dto({
      name: "appsec",
      kind: "email",
      config: { kind: "email", host: "smtp.example.com", port: 465, security: "tls", from: "vigil@example.com", to: ["sec@example.com"], to_roles: ["owner"], user: null, ca_file: null },
      secrets: ["password"],
      rate_per_minute: 30,
    });
    const input = toChannelInput(formFromChannel(channel));
    expect(input.config).toEqual(channel.config);
    expect(input.rate_per_minute).toBe(30);
    expect(input.secrets).toEqual({});
  });

  it("a chat channel's URL is a secret; the config gets only its hint", () => {
    const form = emptyForm("slack");
    form.name = "sec-room";
    form.secrets.url!.value = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
    const input = toChannelInput(form);
    expect(input.config).toEqual({ kind: "slack", url_hint: "https://hooks.slack.com/services/…" });
    expect(input.secrets).toEqual({ url: "https://hooks.slack.com/services/T000/B000/XXXXSECRET" });
    expect(JSON.stringify(input.config)).not.toContain("XXXXSECRET");
  });

  it("an edited chat channel keeps its stored hint when no new URL is typed", () => {
    const form = formFromChannel(dto({ name: "room", kind: "teams", config: { kind: "teams", url_hint: "https://example.webhook.office.com/webhookb2/…" }, secrets: ["url"] }));
    expect(toChannelInput(form)).toMatchObject({ config: { kind: "teams", url_hint: "https://example.webhook.office.com/webhookb2/…" }, secrets: {} });
  });

  it("jira sends its fields and the token", () => {
    const form = emptyForm("jira");
    Object.assign(form, { name: "jira", url: "https://example.atlassian.net", project: "SEC", jiraUser: "bot@example.com", apiVersion: 3, grouping: "per_application_run", resolveTransition: "Done" });
    form.secrets.token!.value = "tok";
    expect(toChannelInput(form)).toMatchObject({
      config: { kind: "jira", url: "https://example.atlassian.net", project: "SEC", issue_type: "Bug", user: "bot@example.com", api_version: 3, grouping: "per_application_run", resolve_transition: "Done" },
      secrets: { token: "tok" },
    });
  });
});

describe("the channel form's checks", () => {
  it("names, duplicates and rates", () => {
    const form = emptyForm("webhook");
    form.url = "https://x.example";
    expect(checkChannelForm(form, true, [])).toEqual({ name: "A channel needs a name" });
    form.name = "hooks";
    form.rate = "0";
    expect(checkChannelForm(form, true, ["hooks"])).toEqual({
      name: "There is already a channel named hooks",
      rate: "A whole number of messages per minute, or empty for the default",
    });
  });

  it("a webhook needs an http(s) URL and a whsec_ signing secret", () => {
    const form = emptyForm("webhook");
    form.name = "hooks";
    form.url = "ftp://x";
    form.secrets.signing_secret!.value = "plain";
    expect(checkChannelForm(form, true, [])).toEqual({
      url: "The receiver's http(s) URL",
      signing_secret: "A Standard Webhooks secret: whsec_ followed by base64 of at least 16 bytes",
    });
    form.url = "https://x.example";
    form.secrets.signing_secret!.value = `whsec_${btoa("too short")}`;
    expect(Object.keys(checkChannelForm(form, true, []))).toEqual(["signing_secret"]);
    form.secrets.signing_secret!.value = `whsec_${btoa("sixteen bytes at least")}`;
    expect(checkChannelForm(form, true, [])).toEqual({});
  });

  it("email needs a server, a sender and someone to write to", () => {
    const form = emptyForm("email");
    form.name = "mail";
    form.port = "70000";
    form.to = ["not-an-address"];
    form.secrets.password!.value = "pw";
    expect(checkChannelForm(form, true, [])).toEqual({
      host: "The SMTP server's host name",
      port: "A port between 1 and 65535",
      from: "The sender's address (name@example.com)",
      to: "not-an-address is not an email address",
      user: "A password needs a user name",
    });
    Object.assign(form, { host: "smtp.example.com", port: "587", from: "v@example.com", to: [], toRoles: ["owner"], user: "v" });
    expect(checkChannelForm(form, true, [])).toEqual({});
    form.secrets.password!.value = "";
    expect(checkChannelForm(form, true, [])).toEqual({ password: "A user needs its password" });
    form.stored = ["password"];
    expect(checkChannelForm(form, false, [])).toEqual({});
  });

  it("a new chat channel needs its URL; an edited one may keep the stored one, unless removing it", () => {
    const fresh = emptyForm("mattermost");
    fresh.name = "mm";
    expect(checkChannelForm(fresh, true, [])).toEqual({ url: "The incoming-webhook URL (https://…)" });
    const stored = formFromChannel(dto({ name: "mm", kind: "mattermost", config: { kind: "mattermost", url_hint: "https://mm.example/hooks/…" }, secrets: ["url"] }));
    expect(checkChannelForm(stored, false, [])).toEqual({});
    stored.secrets.url!.remove = true;
    expect(checkChannelForm(stored, false, [])).toEqual({ url: "The incoming-webhook URL (https://…)" });
  });

  it("jira needs its token unless one is stored", () => {
    const form = emptyForm("jira");
    Object.assign(form, { name: "jira", url: "https://example.atlassian.net", project: "SEC", jiraUser: "bot" });
    expect(checkChannelForm(form, true, [])).toEqual({ token: "The API token" });
    form.stored = ["token"];
    expect(checkChannelForm(form, false, [])).toEqual({});
  });
});

describe("where a channel goes", () => {
  it.each([
    [dto({}), "https://hooks.example.com/vigil (violation.new)"],
    [dto({ kind: "email", config: { kind: "email", host: "smtp.example.com", port: 587, security: "starttls", from: "v@e.com", to: ["a@e.com"], to_roles: ["owner"], user: null, ca_file: null } }), "smtp.example.com:587 → a@e.com, owners"],
    [dto({ kind: "slack", config: { kind: "slack", url_hint: "https://hooks.slack.com/services/…" } }), "https://hooks.slack.com/services/…"],
    [dto({ kind: "jira", config: { kind: "jira", url: "https://j.example", project: "SEC", issue_type: "Bug", user: "u", api_version: 2, grouping: "per_violation", resolve_transition: null } }), "https://j.example · project SEC · Bug"],
    [dto({ kind: "desktop", config: { kind: "desktop" } }), "this computer's notifications"],
  ])("%#", (channel, expected) => {
    expect(channelTarget(channel)).toBe(expected);
  });

  it("a URL hint keeps the host and the first path segment", () => {
    expect(urlHint("https://hooks.slack.com/services/T/B/secret")).toBe("https://hooks.slack.com/services/…");
    expect(urlHint("https://mm.example")).toBe("https://mm.example");
    expect(urlHint("not a url")).toBe("");
  });
});
