import { describe, expect, it } from "vitest";
import type { ApplicationProfile } from "../ipc/bindings/ApplicationProfile";
import { checkForm, fromProfile, newForm, toUpdate } from "./profileForm";

const profile: ApplicationProfile = {
  name: "shop-api",
  public_id: "shop-api",
  organization: "Root",
  categories: ["web"],
  contacts: [{ role: "owner", name: "Ana", email: "ana@example.com" }],
  tier: "high",
  exposure: "external",
  hosting: "hosted",
  users: 12000,
  status: "active",
  monitor: true,
  monitored: true,
  monitored_because: null,
  stage: "release",
  watch: "latest",
  watch_labels: [],
  alert_on_baseline: false,
  baselined: true,
};

describe("the application form", () => {
  it("round-trips a profile into an update of every field", () => {
    expect(toUpdate(fromProfile(profile))).toEqual({
      monitor: true,
      stage: "release",
      organization: "Root",
      categories: ["web"],
      contacts: [{ role: "owner", name: "Ana", email: "ana@example.com" }],
      tier: "high",
      exposure: "external",
      hosting: "hosted",
      users: 12000,
      status: "active",
      public_id: "shop-api",
      watch: "latest",
      watch_labels: [],
      alert_on_baseline: false,
    });
  });
  it("empty users means unknown; labels are sent only when watching labels", () => {
    const form = { ...fromProfile(profile), users: " ", watchLabels: ["2.4"] };
    expect(toUpdate(form).users).toBeNull();
    expect(toUpdate(form).watch_labels).toEqual([]);
    expect(toUpdate({ ...form, watch: "labels" }).watch_labels).toEqual(["2.4"]);
  });
  it("editing the form does not change the profile it came from", () => {
    const form = fromProfile(profile);
    form.contacts[0].email = "x@example.com";
    expect(profile.contacts[0].email).toBe("ana@example.com");
  });
  it.each([
    [{ users: "12k" }, "users", '"12k" is not a number of users'],
    [{ users: "99999999999" }, "users", "99999999999 users is more than Vigil can count"],
    [{ contacts: [{ role: "owner", name: "A", email: "not-mail" }] }, "contact-0", '"not-mail" is not an email address'],
    [{ contacts: [{ role: "owner", name: "A", email: "" }] }, "contact-0", "a contact needs an email address"],
    [{ watch: "labels", watchLabels: [] }, "watchLabels", "name at least one version label to watch"],
  ])("%o is refused at %s", (over, field, message) => {
    expect(checkForm({ ...newForm(), ...over })[field]).toBe(message);
  });
  it("a new form passes", () => {
    expect(checkForm(newForm())).toEqual({});
  });
});
