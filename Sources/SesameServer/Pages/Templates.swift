/// The page templates, compiled into the binary so that `sesame` is one self-contained file.
/// Every `{{value}}` is escaped by byte (`PageRenderer` opens each template with that content
/// type); only Sesame's own QR code SVG uses triple braces.
enum Templates {
    static let header = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Sesame</title>
        <link rel="stylesheet" href="/static/sesame.css">
        </head>
        <body>
        <header class="brand"><span>Sesame</span></header>
        <main class="card">

        """

    static let footer = """
        </main>
        </body>
        </html>

        """

    static let login = """
        {{> header}}
        <h1>Sign in</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form id="login-form" method="post" action="/login">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        <input type="hidden" name="return_to" value="{{returnTo}}">
        {{#mfa}}<input type="hidden" name="mfa" value="1">
        <p class="note">This application asks for two-step verification.</p>{{/mfa}}
        <label for="username">Username or email</label>
        <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="{{username}}"{{^username}} autofocus{{/username}}>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required{{#username}} autofocus{{/username}}>
        <button type="submit">Sign in</button>
        </form>
        {{> footer}}
        """

    /// A directory said the password must change before signing in; the old one is asked again
    /// rather than carried from the sign-in form, so no password ever sits in a URL or a cookie.
    static let changePassword = """
        {{> header}}
        <h1>Change your password</h1>
        <p class="note" id="reason">{{reason}}</p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form id="change-password-form" method="post" action="/login/change-password">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        <input type="hidden" name="return_to" value="{{returnTo}}">
        <input type="hidden" name="directory" value="{{directory}}">
        <input type="hidden" name="ticket" value="{{ticket}}">
        <label for="username">Username</label>
        <input id="username" name="username" type="text" autocomplete="username" readonly value="{{username}}">
        <label for="current_password">Current password</label>
        <input id="current_password" name="current_password" type="password" autocomplete="current-password" required autofocus>
        <label for="new_password">New password</label>
        <input id="new_password" name="new_password" type="password" autocomplete="new-password" required>
        <label for="new_password_again">New password again</label>
        <input id="new_password_again" name="new_password_again" type="password" autocomplete="new-password" required>
        <button type="submit">Change password and sign in</button>
        </form>
        {{> footer}}
        """

    /// After a directory sign-in that came with a warning (the password expires soon, grace logins left).
    static let signInNotice = """
        {{> header}}
        <h1>Signed in</h1>
        <p class="note" id="notice" role="status">{{notice}}</p>
        <p><a id="continue" href="{{returnTo}}">Continue</a></p>
        {{> footer}}
        """

    static let account = """
        {{> header}}
        <h1>Your account</h1>
        <dl class="facts">
        <dt>Username</dt><dd id="username">{{username}}</dd>
        <dt>Name</dt><dd id="name">{{name}}</dd>
        <dt>Email</dt><dd id="email">{{email}}</dd>
        <dt>Groups</dt><dd><ul id="groups">{{#groups}}<li>{{.}}</li>{{/groups}}</ul>{{^groups}}<span class="none">none</span>{{/groups}}</dd>
        <dt>Roles</dt><dd><ul id="roles">{{#roles}}<li>{{.}}</li>{{/roles}}</ul>{{^roles}}<span class="none">none</span>{{/roles}}</dd>
        <dt>Two-step verification</dt><dd id="two-factor">{{twoFactor}} <a href="/account/two-factor">Manage</a></dd>
        </dl>
        <form id="logout-form" method="post" action="/logout">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        <button type="submit" class="secondary">Sign out</button>
        </form>
        {{> footer}}
        """

    static let error = """
        {{> header}}
        <h1>{{title}}</h1>
        <p class="error" role="alert">{{message}}</p>
        <p><a href="/account">Go to your account</a></p>
        {{> footer}}
        """

    static let consent = """
        {{> header}}
        <h1>Allow {{clientName}}?</h1>
        <p><strong>{{clientName}}</strong> would like to sign you in as <strong>{{username}}</strong> and see:</p>
        <ul id="scopes">{{#scopes}}<li data-scope="{{name}}">{{description}}</li>{{/scopes}}</ul>
        <form id="consent-form" method="post" action="/authorize/consent">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        {{#parameters}}<input type="hidden" name="{{name}}" value="{{value}}">
        {{/parameters}}
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
        </form>
        {{> footer}}
        """

    /// OAuth 2.0 Form Post Response Mode: the script that submits it is served by Sesame
    /// (/static/form-post.js), since the page's CSP allows no inline script.
    static let formPost = """
        {{> header}}
        <h1>Signing you in…</h1>
        <form id="form-post" method="post" action="{{action}}">
        {{#fields}}<input type="hidden" name="{{name}}" value="{{value}}">
        {{/fields}}
        <noscript><p>JavaScript is off: press Continue.</p></noscript>
        <button type="submit">Continue</button>
        </form>
        <script src="/static/form-post.js"></script>
        {{> footer}}
        """

    static let endSession = """
        {{> header}}
        <h1>Sign out of Sesame?</h1>
        <p>You are signed in as <strong>{{username}}</strong>. Signing out ends your single sign-on session.</p>
        <form id="end-session-form" method="post" action="/end-session">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        {{#parameters}}<input type="hidden" name="{{name}}" value="{{value}}">
        {{/parameters}}
        <button type="submit" name="decision" value="logout">Sign out</button>
        </form>
        {{> footer}}
        """

    /// Hidden frames for each app's front-channel logout URL, then on to `next`
    /// (/static/frontchannel-logout.js, since the page's CSP allows no inline script).
    static let frontChannelLogout = """
        {{> header}}
        <h1>Signing you out…</h1>
        <p>Signing you out of your applications.</p>
        {{#frames}}<iframe class="logout-frame" src="{{.}}" title="sign-out" width="0" height="0" hidden></iframe>
        {{/frames}}
        <p><a id="continue" href="{{next}}">Continue</a></p>
        <script src="/static/frontchannel-logout.js"></script>
        {{> footer}}
        """

    static let signedOut = """
        {{> header}}
        <h1>You are signed out</h1>
        <p id="signed-out">Your Sesame session has ended.</p>
        <p><a href="/login">Sign in again</a></p>
        {{> footer}}
        """

    static let twoFactorCode = """
        {{> header}}
        <h1>Two-step verification</h1>
        {{#notice}}<p class="note" id="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <p>Enter {{prompt}}.</p>
        <form id="two-factor-form" method="post" action="/login/two-factor">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        <input type="hidden" name="return_to" value="{{returnTo}}">
        <label for="code">Code</label>
        <input id="code" name="code" type="text" inputmode="{{inputMode}}" {{#oneTimeCode}}autocomplete="one-time-code" {{/oneTimeCode}}autocapitalize="none" spellcheck="false" required autofocus>
        <button type="submit">Verify</button>
        </form>
        {{> footer}}
        """

    /// The QR code is SVG that Sesame drew itself (QRCodeSVG); it is inserted unescaped on purpose.
    static let twoFactorEnrol = """
        {{> header}}
        <h1>Set up two-step verification</h1>
        {{#notice}}<p class="note" id="notice" role="status">{{notice}}</p>{{/notice}}
        {{#required}}<p class="note">Your account requires two-step verification.</p>{{/required}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <p>Scan this code with Google Authenticator, Aegis, 1Password or any authenticator app:</p>
        <div class="qr" id="qr">{{{qrSVG}}}</div>
        <p>Or type this key: <code id="secret">{{secret}}</code></p>
        <p class="small">Link for this device: <a id="otpauth-uri" href="{{uri}}">{{uri}}</a></p>
        <form id="enrol-form" method="post" action="{{action}}">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        <input type="hidden" name="return_to" value="{{returnTo}}">
        <label for="code">Then enter the 6-digit code it shows</label>
        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus>
        <button type="submit">Turn on</button>
        </form>
        {{> footer}}
        """

    static let recoveryCodes = """
        {{> header}}
        <h1>Your recovery codes</h1>
        <p>Each code works once, instead of a code from your app, if you lose your phone. Keep them somewhere safe: they are shown only now.</p>
        <ul id="recovery-codes" class="codes">{{#codes}}<li>{{.}}</li>{{/codes}}</ul>
        <p><a id="continue" class="button" href="{{returnTo}}">Continue</a></p>
        {{> footer}}
        """

    static let twoFactorStatus = """
        {{> header}}
        <h1>Two-step verification</h1>
        <p id="two-factor-status">On. Recovery codes left: <span id="recovery-left">{{recoveryLeft}}</span></p>
        <form id="regenerate-form" method="post" action="/account/two-factor/recovery-codes">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        <button type="submit" class="secondary">Make new recovery codes</button>
        </form>
        <p><a href="/account">Back to your account</a></p>
        {{> footer}}
        """
}
