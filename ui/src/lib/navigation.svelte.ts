export type Route =
  | { view: "applications" }
  | { view: "application"; name: string }
  | { view: "advisories" }
  | { view: "policies" }
  | { view: "waivers" };

class Navigation {
  route = $state<Route>({ view: "applications" });

  go(route: Route) {
    this.route = route;
  }
}

export const navigation = new Navigation();
