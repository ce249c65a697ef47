import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { theme } from "./lib/theme/theme.svelte";

// Before the first paint of the stored choice: the system's palette already applies.
void theme.load();

const app = mount(App, { target: document.getElementById("app")! });

export default app;
