// The application form (the Settings tab, and "New application"): a profile becomes editable
// text fields, and the fields become one `ApplicationUpdate` after checks that name the field.
import type { ApplicationProfile } from "../ipc/bindings/ApplicationProfile";
import type { ApplicationUpdate } from "../ipc/bindings/ApplicationUpdate";
import type { ContactDto } from "../ipc/bindings/ContactDto";

export const ROLES = ["owner", "developer", "security", "manager"] as const;
export const EXPOSURES = ["internal", "external"] as const;
export const HOSTINGS = ["hosted", "distributed"] as const;
export const STATUSES = ["active", "retired"] as const;
export const WATCHES = [
  { value: "latest", label: "The latest scan of the stage" },
  { value: "major", label: "The latest scan per major version label" },
  { value: "labels", label: "These version labels" },
] as const;

export interface ProfileForm {
  publicId: string;
  organization: string;
  tier: string;
  exposure: string;
  hosting: string;
  /** Text, so that an empty field means "unknown". */
  users: string;
  status: string;
  categories: string[];
  contacts: ContactDto[];
  monitor: boolean;
  stage: string;
  watch: string;
  watchLabels: string[];
  alertOnBaseline: boolean;
}

export function newForm(): ProfileForm {
  return {
    publicId: "",
    organization: "",
    tier: "medium",
    exposure: "internal",
    hosting: "hosted",
    users: "",
    status: "active",
    categories: [],
    contacts: [],
    monitor: true,
    stage: "build",
    watch: "latest",
    watchLabels: [],
    alertOnBaseline: false,
  };
}

export function fromProfile(p: ApplicationProfile): ProfileForm {
  return {
    publicId: p.public_id,
    organization: p.organization === "Root" ? "" : p.organization,
    tier: p.tier,
    exposure: p.exposure,
    hosting: p.hosting,
    users: p.users === null ? "" : String(p.users),
    status: p.status,
    categories: [...p.categories],
    contacts: p.contacts.map((c) => ({ ...c })),
    monitor: p.monitor,
    stage: p.stage,
    watch: p.watch,
    watchLabels: [...p.watch_labels],
    alertOnBaseline: p.alert_on_baseline,
  };
}

/** Field → problem, for the messages beside the fields; empty when the form can be saved. */
export type FormErrors = Partial<Record<string, string>>;

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function checkForm(form: ProfileForm): FormErrors {
  const errors: FormErrors = {};
  const users = form.users.trim();
  if (users !== "" && !/^\d+$/.test(users)) errors.users = `${JSON.stringify(users)} is not a number of users`;
  else if (users !== "" && Number(users) > 4_294_967_295) errors.users = `${users} users is more than Vigil can count`;
  form.contacts.forEach((c, i) => {
    if (c.email.trim() === "") errors[`contact-${i}`] = "a contact needs an email address";
    else if (!EMAIL.test(c.email.trim())) errors[`contact-${i}`] = `${JSON.stringify(c.email.trim())} is not an email address`;
  });
  if (form.watch === "labels" && form.watchLabels.length === 0) {
    errors.watchLabels = "name at least one version label to watch";
  }
  return errors;
}

/** Every field of the form as an update (contacts replace the stored ones). */
export function toUpdate(form: ProfileForm): ApplicationUpdate {
  const users = form.users.trim();
  const publicId = form.publicId.trim();
  return {
    monitor: form.monitor,
    stage: form.stage,
    organization: form.organization.trim() === "" ? "Root" : form.organization.trim(),
    categories: form.categories,
    contacts: form.contacts.map((c) => ({ role: c.role, name: c.name.trim(), email: c.email.trim() })),
    tier: form.tier,
    exposure: form.exposure,
    hosting: form.hosting,
    users: users === "" ? null : Number(users),
    status: form.status,
    public_id: publicId === "" ? null : publicId,
    watch: form.watch,
    watch_labels: form.watch === "labels" ? form.watchLabels : [],
    alert_on_baseline: form.alertOnBaseline,
  };
}
