# device-signin: English (the source every other locale translates).
# Arguments: $provider (a provider's name), $name (who signed in),
# $host (a server's host name), $device (this TV's name), $seconds and
# $minutes (whole numbers), $detail (technical text, kept in English).

window-title = Sign in

## Buttons

action-new-code = New code
action-back = Back
action-try-again = Try again
action-try-now = Try now
action-sign-out = Sign out
action-cancel = Cancel
action-continue = Continue
action-other-account = Use another account

## Provider choice

choose-title = Sign in
choose-prompt = Choose where your account is
choose-hint = Use the arrows to choose, then press OK
tile-signed-in = Signed in
tile-signed-in-as = Signed in as { $name }
tile-demo = Demo

## The code screen

code-title = Sign in with { $provider }
code-getting = Getting a sign-in code from { $provider }…
code-device = This TV: { $device }
code-scan = Scan with your phone
code-scan-hint = Nothing to type: just check that the code on your phone matches this one
code-or = or
code-step-visit = Go to
code-step-enter = Enter the code
code-step-approve = Approve the sign-in on your phone
code-expires-in =
    { $minutes ->
        [one] Expires in 1 minute
       *[other] Expires in { $minutes } minutes
    }
code-last-minute = Less than a minute left
code-phishing = Only enter this code if you are in front of this screen. { $provider } will never ask you for it by phone or e-mail.

## Status lines on the code screen: calm, and nothing to do

status-waiting = Waiting for you to approve
status-checking = Checking whether you have approved
status-offline =
    { $seconds ->
        [one] No connection to the server right now. Trying again in 1 second
       *[other] No connection to the server right now. Trying again in { $seconds } seconds
    }
status-approved = Approved. Finishing the sign-in…
status-renewed = The last code expired, so this is a new one
status-slow-down =
    { $seconds ->
        [one] The server asked to be checked less often: now every second
       *[other] The server asked to be checked less often: now every { $seconds } seconds
    }

## Notices above the code

notice-signed-out-here = You were signed out of { $provider } on this TV
notice-ended = Your sign-in with { $provider } has ended
notice-signed-out-not-confirmed = Signed out on this TV, but { $provider } did not confirm it ({ $detail })
notice-signed-out-no-revocation = Signed out on this TV ({ $provider } offers no way to end the sign-in there)
notice-signed-out-who = { $name } was signed out of { $provider }
notice-signed-out = Signed out of { $provider }

## Outcomes

expired-title = The code expired
expired-renew-in =
    { $seconds ->
        [one] A new code comes in 1 second
       *[other] A new code comes in { $seconds } seconds
    }
expired-press-ok = Press OK for a new code
declined-title = Sign-in was declined on the other device
declined-nobody = Nobody was signed in to { $provider }.
signed-in = Signed in
signed-in-as = Signed in as { $name }
signed-in-with = with { $provider }
signed-in-offline =
    { $seconds ->
        [one] No connection to { $provider } to renew the sign-in. Trying again in 1 second
       *[other] No connection to { $provider } to renew the sign-in. Trying again in { $seconds } seconds
    }
continuing-in =
    { $seconds ->
        [one] Continuing in 1 second
       *[other] Continuing in { $seconds } seconds
    }
restoring-welcome = Welcome back
restoring-welcome-who = Welcome back, { $name }
restoring-checking = Checking your sign-in with { $provider }…
restoring-offline = No connection to { $provider }. Your sign-in is kept
trying-again-in =
    { $seconds ->
        [one] Trying again in 1 second
       *[other] Trying again in { $seconds } seconds
    }
sign-out-question-who = Sign out { $name } from { $provider }?
sign-out-question = Sign out from { $provider }?
sign-out-afterwards = This TV will need a new sign-in afterwards
signing-out = Signing out from { $provider }…
signing-out-asking = Asking { $provider } to end the sign-in
problem-retrying-in =
    { $seconds ->
        [one] Trying again by itself in 1 second
       *[other] Trying again by itself in { $seconds } seconds
    }

## Problems: a plain headline, then one thing to do

problem-declined = Sign-in declined
problem-expired = The code has expired
problem-ended = Your sign-in with { $provider } has ended
problem-tls = Can't make a secure connection to { $host }
problem-timeout = { $host } is not answering
problem-dns = Can't find { $host } on the network
problem-unusable = { $provider } sent an answer this app can't use
problem-no-tls = This device can't set up secure connections
problem-unreachable = Can't reach { $host }
problem-wrong-address = The sign-in address for { $provider } is wrong
problem-refused-app = { $provider } refused this app
problem-busy = { $provider } is busy right now
problem-trouble = { $provider } is having trouble right now
problem-refused-request = { $provider } refused the request
problem-not-enabled = This app isn't enabled for device sign-in at { $provider }
problem-unknown-app = { $provider } doesn't recognise this app
problem-scope = { $provider } refused the permissions this app asks for
problem-refused-sign-in = { $provider } refused the sign-in
problem-settings = The sign-in settings for { $provider } are not complete
problem-store = Can't save the sign-in on this device

next-new-code = Press OK to get a new code
next-sign-in-again = Sign in again to go on
next-check-internet = Check that the TV is connected to the internet
next-check-clock = Check that the TV's date and time are right
next-wait = Wait a few minutes, then try again
next-ask-admin = Ask whoever set up this TV to check its sign-in settings
next-ask-admin-storage = Ask whoever set up this TV to check its storage

## Plain `login` in a terminal

login-start = Signing in with { $provider }…
login-start-demo = Signing in with { $provider } (demo)…
login-go-to = On your phone or computer, go to:
login-enter = and enter the code:
login-scan = Or scan this QR code:
login-expires-waiting =
    { $minutes ->
        [one] The code expires in 1 minute. Waiting for approval…
       *[other] The code expires in { $minutes } minutes. Waiting for approval…
    }
login-checking = checking…
login-slow-down =
    { $seconds ->
        [one] the server asked to be checked less often: now every second
       *[other] the server asked to be checked less often: now every { $seconds } seconds
    }
login-offline =
    { $seconds ->
        [one] no connection ({ $detail }); trying again in 1 second
       *[other] no connection ({ $detail }); trying again in { $seconds } seconds
    }
login-approved = approved; checking the answer…
login-signed-in = Signed in as { $name } with { $provider }.
login-unnamed = an unnamed account
login-declined = Sign-in was declined on the other device.
login-expired = The code expired before it was approved. Run login again for a new one.
login-interrupted = Interrupted: sign-in cancelled.
