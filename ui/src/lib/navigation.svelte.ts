export type Route =
  | { view: "dashboard" }
  | { view: "applications" }
  // `violation`: the key (`violationKey`) of a violation to open in the drawer.
  | { view: "application"; name: string; violation?: string }
  | { view: "violations" }
  | { view: "advisories" }
  | { view: "policies" }
  | { view: "plan" }
  | { view: "channels" }
  | { view: "waivers" }
  | { view: "coverage" }
  | { view: "runs"; run?: number }
  | { view: "settings" }
  | { view: "search"; query: string };

class Navigation {
  route = $state<Route>({ view: "dashboard" });

  go(route: Route) {
    this.route = route;
  }
}

export const navigation = new Navigation();
