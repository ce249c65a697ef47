// "Now", refreshed every 30 s so that ages on screen ("5 minutes ago") keep up.
class Clock {
  now = $state(new Date());

  constructor() {
    setInterval(() => {
      this.now = new Date();
    }, 30_000);
  }
}

export const clock = new Clock();
