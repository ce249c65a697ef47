// Typed wrappers around the Rust commands in `src-tauri/src/commands.rs`. Every rejection is
// normalised to an `ErrorDto` so callers can branch on `code` and show `message`.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AffectedReport } from "./bindings/AffectedReport";
import type { AgentSettings } from "./bindings/AgentSettings";
import type { AgentStatus } from "./bindings/AgentStatus";
import type { AlertFilter } from "./bindings/AlertFilter";
import type { AlertRecord } from "./bindings/AlertRecord";
import type { ApplicationDetail } from "./bindings/ApplicationDetail";
import type { ApplicationProfile } from "./bindings/ApplicationProfile";
import type { ApplicationUpdate } from "./bindings/ApplicationUpdate";
import type { AppsImportReport } from "./bindings/AppsImportReport";
import type { ChannelDto } from "./bindings/ChannelDto";
import type { ChannelInput } from "./bindings/ChannelInput";
import type { ChannelTestResult } from "./bindings/ChannelTestResult";
import type { CoverageReport } from "./bindings/CoverageReport";
import type { DashboardDto } from "./bindings/DashboardDto";
import type { DeliveryDto } from "./bindings/DeliveryDto";
import type { DeliveryFilter } from "./bindings/DeliveryFilter";
import type { OrganizationDto } from "./bindings/OrganizationDto";
import type { RunApplicationDiff } from "./bindings/RunApplicationDiff";
import type { RunSummary } from "./bindings/RunSummary";
import type { ScanSummary } from "./bindings/ScanSummary";
import type { ScheduleStatus } from "./bindings/ScheduleStatus";
import type { ApplicationSummary } from "./bindings/ApplicationSummary";
import type { DbStatus } from "./bindings/DbStatus";
import type { ImportReport } from "./bindings/ImportReport";
import type { MonitorReport } from "./bindings/MonitorReport";
import type { NewWaiver } from "./bindings/NewWaiver";
import type { Plan } from "./bindings/Plan";
import type { PlanPreview } from "./bindings/PlanPreview";
import type { PlanPreviewRequest } from "./bindings/PlanPreviewRequest";
import type { PlanView } from "./bindings/PlanView";
import type { PoliciesView } from "./bindings/PoliciesView";
import type { Policy } from "./bindings/Policy";
import type { PolicyImportReport } from "./bindings/PolicyImportReport";
import type { Progress } from "./bindings/Progress";
import type { ScanProgress } from "./bindings/ScanProgress";
import type { ScanResult } from "./bindings/ScanResult";
import type { SyncReport } from "./bindings/SyncReport";
import type { Theme } from "./bindings/Theme";
import type { VexImportReport } from "./bindings/VexImportReport";
import type { WaiverDto } from "./bindings/WaiverDto";
import type { BulkReport } from "./bindings/BulkReport";
import type { BulkWaiver } from "./bindings/BulkWaiver";
import type { PortfolioFilter } from "./bindings/PortfolioFilter";
import type { PortfolioViolations } from "./bindings/PortfolioViolations";
import type { ViolationHistory } from "./bindings/ViolationHistory";
import type { ViolationRef } from "./bindings/ViolationRef";
import { toErrorDto } from "./errors";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toErrorDto(error);
  }
}

export function status(): Promise<DbStatus> {
  return call("status");
}

export function applications(): Promise<ApplicationSummary[]> {
  return call("applications");
}

export function application(name: string): Promise<ApplicationDetail> {
  return call("application", { name });
}

export function importAdvisories(
  paths: string[],
  onProgress: (progress: Progress) => void,
): Promise<ImportReport> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return call("import_advisories", { paths, onProgress: channel });
}

/**
 * Syncs OSV advisories for `ecosystems` (OSV names; empty: those synced before) from the
 * configured bucket. An ecosystem that fails is in the report with its error.
 */
export function syncAdvisories(
  ecosystems: string[],
  onProgress: (progress: Progress) => void,
): Promise<SyncReport> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return call("sync_advisories", { ecosystems, onProgress: channel });
}

/**
 * Scans `paths` into one inventory stored as `application`'s latest scan (at the build stage),
 * reporting each artifact's progress. `scanId` names the scan for `cancelScan`; a cancelled scan
 * resolves unstored.
 */
export function scan(
  paths: string[],
  application: string,
  scanId: string,
  onProgress: (progress: ScanProgress) => void,
): Promise<ScanResult> {
  const channel = new Channel<ScanProgress>();
  channel.onmessage = onProgress;
  return call("scan", { paths, application, scanId, onProgress: channel });
}

/** Asks a running scan to stop; false when it had already finished. */
export function cancelScan(scanId: string): Promise<boolean> {
  return call("cancel_scan", { scanId });
}

export function runMonitoring(): Promise<MonitorReport> {
  return call("run_monitoring");
}

export function policies(): Promise<PoliciesView> {
  return call("policies");
}

/**
 * Creates a policy (`original` null) or replaces the one named `original` (renaming keeps its
 * place). Rejects with `invalid_input`, a line per problem, when the engine's checks fail.
 */
export function savePolicy(original: string | null, policy: Policy): Promise<void> {
  return call("save_policy", { original, policy });
}

export function setPolicyEnabled(name: string, enabled: boolean): Promise<void> {
  return call("set_policy_enabled", { name, enabled });
}

export function deletePolicy(name: string): Promise<void> {
  return call("delete_policy", { name });
}

/** Writes every policy and the license groups as YAML to `path`. */
export function exportPolicies(path: string): Promise<void> {
  return call("export_policies", { path });
}

/** Replaces the policies with a YAML file's; the error names each problem with its line. */
export function importPolicies(path: string): Promise<PolicyImportReport> {
  return call("import_policies", { path });
}

/** Every waiver, the soonest to expire first. */
export function waivers(): Promise<WaiverDto[]> {
  return call("waivers");
}

export function addWaiver(waiver: NewWaiver): Promise<WaiverDto> {
  return call("add_waiver", { waiver });
}

export function removeWaiver(id: number): Promise<void> {
  return call("remove_waiver", { id });
}

/** Turns a VEX document's not_affected / false_positive statements into waivers. */
export function importVex(path: string): Promise<VexImportReport> {
  return call("import_vex", { path });
}

/** Writes the waivers still in force as OpenVEX to `path`. */
export function exportVex(path: string): Promise<void> {
  return call("export_vex", { path });
}

export function applicationProfile(name: string): Promise<ApplicationProfile> {
  return call("application_profile", { name });
}

/** Changes an application (creating it when new); fields left `null` stay as they are. */
export function updateApplication(name: string, update: ApplicationUpdate): Promise<ApplicationProfile> {
  return call("update_application", { name, update });
}

/** The same change to several applications; the first that fails stops it and is named. */
export function updateApplications(names: string[], update: ApplicationUpdate): Promise<ApplicationProfile[]> {
  return call("update_applications", { names, update });
}

/** Creates or updates applications from a CSV file: all rows or none. */
export function importApplicationsCsv(path: string): Promise<AppsImportReport> {
  return call("import_applications_csv", { path });
}

/** An application's scans, newest first, the ones monitoring watches marked. */
export function applicationScans(name: string): Promise<ScanSummary[]> {
  return call("application_scans", { name });
}

export function organizations(): Promise<OrganizationDto[]> {
  return call("organizations");
}

export function saveOrganization(name: string, parent: string | null, monitoringOn: boolean | null): Promise<OrganizationDto> {
  return call("save_organization", { name, parent, monitoringOn });
}

export function coverage(): Promise<CoverageReport> {
  return call("coverage");
}

/** The start screen's facts: the last run, the chart's runs, coverage, risk, deliveries, onboarding. */
export function dashboard(): Promise<DashboardDto> {
  return call("dashboard");
}

/** The monitoring runs, newest first. */
export function runs(limit: number): Promise<RunSummary[]> {
  return call("runs", { limit });
}

export function alerts(filter: AlertFilter): Promise<AlertRecord[]> {
  return call("alerts", { filter });
}

/** An application's part of each run, newest first. */
export function applicationHistory(name: string): Promise<RunApplicationDiff[]> {
  return call("application_history", { name });
}

export function affected(advisory: string): Promise<AffectedReport> {
  return call("affected", { advisory });
}

/** Where a purl (any version when it names none) is used, with each version's advisories. */
export function whereUsed(purl: string): Promise<AffectedReport> {
  return call("where_used", { purl });
}

export function scheduleStatus(): Promise<ScheduleStatus> {
  return call("schedule_status");
}

/** Sets the daily time (`HH:MM`) and, when given, the IANA time zone. */
export function setSchedule(at: string, timezone: string | null): Promise<ScheduleStatus> {
  return call("set_schedule", { at, timezone });
}

export function pauseSchedule(paused: boolean): Promise<ScheduleStatus> {
  return call("pause_schedule", { paused });
}

export function agentStatus(): Promise<AgentStatus> {
  return call("agent_status");
}

export function agentSettings(): Promise<AgentSettings> {
  return call("agent_settings");
}

/** Stores every field (validated first); resolves to the settings as stored. */
export function setAgentSettings(settings: AgentSettings): Promise<AgentSettings> {
  return call("set_agent_settings", { settings });
}

export function theme(): Promise<Theme> {
  return call("theme");
}

/** Stores the theme and hands it to the native window (its title bar follows). */
export function setTheme(theme: Theme): Promise<Theme> {
  return call("set_theme", { theme });
}

// ---- Channels, deliveries, the plan ----------------------------------------------------------
// Secrets only ever go this way (in a `ChannelInput`); what comes back names them by kind.

export function channels(): Promise<ChannelDto[]> {
  return call("channels");
}

/** Adds a channel; its secrets go to the OS keyring. Rejects a name in use. */
export function addChannel(input: ChannelInput): Promise<ChannelDto> {
  return call("add_channel", { input });
}

/** Changes channel `name`: a secret left out of `input.secrets` is kept, an empty string removes it. */
export function updateChannel(name: string, input: ChannelInput): Promise<ChannelDto> {
  return call("update_channel", { name, input });
}

/** Removes a channel, its secrets and its pending deliveries. */
export function removeChannel(name: string): Promise<void> {
  return call("remove_channel", { name });
}

/** "Send test": resolves to the server's answer, whether it accepted the message or not. */
export function testChannel(name: string): Promise<ChannelTestResult> {
  return call("test_channel", { name });
}

export function deliveries(filter: DeliveryFilter): Promise<DeliveryDto[]> {
  return call("deliveries", { filter });
}

/** Makes a pending or failed delivery due now and sends what is due; resolves to it as retried. */
export function retryDelivery(id: string): Promise<DeliveryDto> {
  return call("retry_delivery", { id });
}

export function plan(): Promise<PlanView> {
  return call("plan");
}

/** Replaces the plan; rejects with `invalid_input`, a line per problem, when the engine refuses it. */
export function setPlan(plan: Plan): Promise<PlanView> {
  return call("set_plan", { plan });
}

/** Writes the plan as YAML to `path`. */
export function exportPlan(path: string): Promise<void> {
  return call("export_plan", { path });
}

/** Replaces the plan with a YAML file's, all or nothing; the error names each problem. */
export function importPlan(path: string): Promise<PlanView> {
  return call("import_plan", { path });
}

/** Who would be told what, where and when if such an alert happened now. */
export function planPreview(request: PlanPreviewRequest): Promise<PlanPreview> {
  return call("plan_preview", { request });
}

// ---- The desktop itself ----------------------------------------------------------------------

/** Whether Vigil starts at login, into the tray. */
export function autostart(): Promise<boolean> {
  return call("autostart");
}

/** Resolves to the state starting at login is in afterwards. */
export function setAutostart(enabled: boolean): Promise<boolean> {
  return call("set_autostart", { enabled });
}

/** Tells the shell that the first screen has its data and takes input. */
export function frontendReady(): Promise<void> {
  return call("frontend_ready");
}

/** Open violations across the portfolio that the filter keeps, at most 10,000, with the total. */
export function portfolioViolations(filter: PortfolioFilter): Promise<PortfolioViolations> {
  return call("portfolio_violations", { filter });
}

/** Marks violations "seen, being handled" (all or none); they stay open and keep notifying. */
export function acknowledgeViolations(violations: ViolationRef[], note: string | null): Promise<BulkReport> {
  return call("acknowledge_violations", { violations, note });
}

export function unacknowledgeViolations(violations: ViolationRef[]): Promise<BulkReport> {
  return call("unacknowledge_violations", { violations });
}

/** One waiver per violation with one reason and expiry, in one transaction. */
export function waiveViolations(bulk: BulkWaiver): Promise<BulkReport> {
  return call("waive_violations", { bulk });
}

/** First seen, the alerts about it and who was told through which channel, waiver, acknowledgements. */
export function violationHistory(violation: ViolationRef): Promise<ViolationHistory> {
  return call("violation_history", { violation });
}
