/** No live session: pages redirect to /login, scripts get 401. */
export class LoginRequired extends Error {
  /** `ended`: the browser brought a session that expired, idled out or was signed out (say so). */
  constructor(readonly ended = false) {
    super(ended ? 'your session ended; sign in again' : 'sign in to use the console');
  }
}

/** A write without the session's CSRF token: 403, nothing done. */
export class CsrfRejected extends Error {
  constructor() {
    super(
      'the form was not sent from this console session (missing or wrong CSRF token); reload the page and try again',
    );
  }
}

/** The person's key or token does not reach this page's service or scope. */
export class ConsoleForbidden extends Error {
  constructor(
    readonly service: string,
    readonly scope?: string,
  ) {
    super(
      scope === undefined
        ? `your key is not accepted by the ${service} service`
        : `your key lacks the scope ${scope} on the ${service} service`,
    );
  }
}
