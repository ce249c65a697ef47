export type Route =
  | { view: "applications" }
  | { view: "application"; name: string }
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
  route = $state<Route>({ view: "applications" });

  go(route: Route) {
    this.route = route;
  }
}

export const navigation = new Navigation();
