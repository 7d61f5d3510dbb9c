# Passerelle's pages in English. Every key here is also in fr.ftl (a test checks).

## Layout
skip-to-content = Skip to content
nav-label = Main
nav-search = Search
nav-my = My organization
nav-admin = Administration
nav-signed-in-as = Signed in as { $name }
nav-signout = Sign out
nav-signin = Sign in
nav-signup = Join
nav-other-language = Français
footer-text = Passerelle connects nonprofits with the companies, foundations and public agencies that can help them grow their digital capacity.
footer-api = API for integrators

## Home
home-title = Find partners for your organization's digital needs
home-lead = Nonprofits post what they need — laptops, a new website, cybersecurity training, help moving to a CRM. Companies, foundations and public agencies post what they can give. Passerelle suggests the best matches, in English and French, and follows each partnership to its results.
home-counts = Passerelle today
home-count-needs = { $count ->
    [one] open need
   *[other] open needs
}
home-count-offers = { $count ->
    [one] open offer
   *[other] open offers
}
home-count-organizations = { $count ->
    [one] organization
   *[other] organizations
}
home-how = How it works
home-how-1 = Your organization joins and describes what it needs or what it can offer.
home-how-2 = Passerelle suggests partners and tells you why each one fits.
home-how-3 = You propose a partnership; once both sides say yes, you see each other's contact details and get to work.
home-join = Join Passerelle
home-browse = Browse needs and offers
home-recent-needs = Recent needs
home-recent-offers = Recent offers
home-none = Nothing here yet.
home-all-needs = All needs
home-all-offers = All offers

## Search
search-title = Search needs, offers and organizations
search-label = Search
search-placeholder = For example: website redesign, cybersecurity training
search-submit = Search
search-filters = Filters
search-language = Language of the posting
search-any-language = Any language
search-sort = Sort by
search-sort-relevance = Best match
search-sort-recent = Most recent
search-apply = Apply filters
search-clear = Clear all
search-total = { $count ->
    [0] No results
    [one] { $count } result
   *[other] { $count } results
}
search-nothing = Nothing matches. Try fewer words or remove a filter.
search-pages = Pages
search-previous = Previous page
search-next = Next page
search-page = Page { $page }
facet-kind = Type
facet-category = Category
facet-province = Province or territory
facet-org-kind = Organization type
facet-remote = Remote

## Stored values
kind-need = Need
kind-offer = Offer
kind-organization = Organization
remote-true = Can be done remotely
remote-false = In person
remote-short = remote
language-en = English
language-fr = French
org-kind-nonprofit = Nonprofit
org-kind-charity = Registered charity
org-kind-company = Company
org-kind-foundation = Foundation
org-kind-public-agency = Public agency
org-kind-academic = College or university
org-kind-community-group = Community group
org-kinds-nonprofit = nonprofits
org-kinds-charity = registered charities
org-kinds-company = companies
org-kinds-foundation = foundations
org-kinds-public-agency = public agencies
org-kinds-academic = colleges and universities
org-kinds-community-group = community groups
size-small = Small (fewer than 10 staff)
size-medium = Medium (10 to 99 staff)
size-large = Large (100 staff or more)
status-draft = Draft (only your organization sees it)
status-open = Open
status-paused = Paused
status-fulfilled = Fulfilled
status-closed = Closed
status-expired = Expired
partnership-status-proposed = Proposed
partnership-status-accepted = Accepted
partnership-status-declined = Declined
partnership-status-withdrawn = Withdrawn
partnership-status-expired = Expired
partnership-status-active = Under way
partnership-status-completed = Completed
partnership-status-cancelled = Cancelled
verification-pending = Waiting for verification
verification-verified = Verified
verification-rejected = Not approved

## Postings
posting-by = Posted by
posting-edit = Edit
posting-description = Description
posting-details = Details
posting-title = Title
posting-category = Category
posting-skills = Skills
posting-where = Where
posting-anywhere = Anywhere in Canada
posting-language = Language
posting-quantity-need = How many are needed
posting-quantity-offer = How many it can give
posting-value = Value in Canadian dollars
posting-hours = Hours
posting-dates = Dates
posting-from = From { $date }
posting-until = Until { $date }
posting-expires = Open until
posting-status = Status
posting-rules = Who can receive this offer
posting-publish = Publish
posting-pause = Pause
posting-close = Close
rule-org-kinds = Only for { $kinds }.
rule-provinces = Only in { $provinces }.
rule-cause-areas = Only for work on { $causes }.
rule-charity = Only for registered charities (with a CRA registration number).

## Suggested partners
suggested-title = Suggested partners
suggested-lead-need = Offers that fit this need, best first, and why.
suggested-lead-offer = Needs this offer could serve, best first, and why.
suggested-none = No suggestion yet. New offers and needs arrive every day.
suggested-score = Fit { $score } %
suggested-why = Why it fits

## Proposals
propose-action = Propose a partnership
propose-title = Propose a partnership
propose-message = Your message
propose-message-hint = Who you are, what you would like to do together, and when.
propose-submit = Send the proposal
propose-signin = Sign in to propose a partnership
propose-to = Propose a partnership to { $organization }
propose-publish-offer = Publish an offer
propose-publish-need = Publish a need
propose-goes-to = Your proposal goes to { $organization }. They see your message and can accept or decline.
propose-own-offer = Your offer
propose-own-need = Your need

## Organizations
org-name = Organization name
org-kind = Type of organization
org-province = Province or territory
org-city = City
org-languages = Working languages
org-description = About the organization
org-description-hint = Your mission and who you serve, in a few sentences.
org-website = Website
org-website-hint = For example: example.org
org-size = Size
org-charity-number = CRA charity registration number
org-charity-number-hint = Registered charities only, like 123456789RR0001.
org-cause-areas = Cause areas
org-contact-email = Contact email
org-contact-phone = Contact phone
org-contact-hint = Shown to a partner only once both sides have said yes.
org-verified = verified by Passerelle
org-not-verified = not yet verified
org-open-needs = Open needs
org-open-offers = Open offers
org-none-open = None at the moment.

## Accounts
user-display-name = Your name
user-email = Email
user-password = Password
user-password-hint = At least 10 characters. A short phrase is easy to remember and hard to guess.
signup-title = Join Passerelle
signup-lead = Create your account and your organization's profile. An administrator verifies new organizations; you can post needs and offers right away.
signup-you = You
signup-joining = You are invited to join an organization: once your account is made, you accept the invitation on the next page.
signup-organization = Your organization
signup-submit = Create my account
signup-have-account = Already have an account?
signin-title = Sign in
signin-submit = Sign in
signin-no-account = New to Passerelle?

## My organization
my-title = My organization
my-other-orgs = Your other organizations:
my-new-need = Post a need
my-new-offer = Post an offer
my-edit-profile = Edit the profile
my-public-page = See the public page
my-proposals = Proposals
my-received = Received
my-sent = Sent
my-none = None.
my-partnerships = Partnerships
my-past = Earlier
my-postings = Needs and offers
my-needs = Needs
my-offers = Offers
my-no-postings = Nothing posted yet.
my-actions = Actions
my-profile = Contact details
profile-title = Edit the organization's profile
partnership-with = With
partnership-accept = Accept
partnership-decline = Decline
partnership-withdraw = Withdraw
partnership-start = Mark as started
partnership-complete = Complete and report the outcome
partnership-cancel = Cancel the partnership
contact-title = Contact
contact-person = Person
contact-email = Email
contact-phone = Phone
contact-website = Website

## Posting form
posting-form-new-need = Post a need
posting-form-new-offer = Post an offer
posting-form-edit = Edit the posting
posting-form-lead-need = Describe what your organization needs. Plain words are best: partners search in English and French.
posting-form-lead-offer = Describe what your organization can give, and to whom.
posting-form-what = What
posting-form-kind-of-help = Kind of help
posting-form-where-when = Where and when
posting-form-how-much = How much
posting-title-hint = 5 to 200 characters, for example "Laptops for our after-school program".
posting-description-hint = At least 10 characters: the context, what you need or give, and any constraint.
posting-province = Province or territory
posting-remote = Can be done remotely
posting-starts-on = Start date
posting-ends-on = End date
posting-expires-on = Open until
posting-expires-hint = Leave empty to keep it open until you close it.
posting-quantity-need-hint = What is still needed; accepted partnerships take their share.
posting-quantity-offer-hint = What is left to give; accepted partnerships take their share.
posting-value-hint = An estimate in whole dollars, if you know it.
posting-rules-hint = Leave everything empty to accept any organization.
eligibility-org-kinds = Types of organization
eligibility-provinces = Provinces and territories
eligibility-cause-areas = Cause areas
eligibility-charity = Registered charities only
eligibility-sizes = Best suited to organizations of size (ranks, does not exclude)
suggest-hint = Not sure which category fits? Write the title and description, then ask Passerelle.
suggest-button = Suggest a category and skills
suggest-done = Suggested from your text: { $labels }. Check them before saving.
suggest-nothing = Passerelle found no likely category in the text; choose one below.
choose-one = Choose…
choose-none = Not specified
form-save = Save
form-cancel = Cancel
form-has-errors = Some fields need your attention; see the messages beside them.

## Completion
complete-title = Complete the partnership
complete-lead = Tell what the partnership achieved. Partners and funders see these results.
complete-submit = Complete the partnership
outcome-title = Outcome:
outcome-hours = Hours given
outcome-hours-hint = Hours of work or training, for example 12.5.
outcome-value = Value given, in Canadian dollars
outcome-value-hint = For example 2500.
outcome-delivered = What was delivered
outcome-delivered-hint = In your words: what you received and what changed.
outcome-indicators = Before and after
outcome-indicators-hint = Up to ten measures: pick them from Passerelle’s list (numbers, comparable across organizations) or name your own (a number or a few words). Give where you started, what you aim for and where you are now.
outcome-indicator-n = Measure { $n }
outcome-indicator-name = What you measure
outcome-indicator-before = Before (baseline)
outcome-indicator-after = At completion
outcome-note = A note for your partner (optional)
outcome-hours-value = { $hours } hours
outcome-value-value = { $value } $

## Administration
admin-title = Moderation
admin-lead = Reports to answer, organizations to verify, and every organization whatever its state. Each step is recorded and the people concerned are told.
admin-none = No organization is waiting.
admin-since = Joined { $date }
admin-verify = Verify
admin-reject = Reject

## Messages after an action
flash-welcome = Welcome to Passerelle! Your organization is created; post your first need or offer.
flash-no-organization = Your account belongs to no organization. An organization owner can add you by email.
flash-signed-out = You are signed out.
flash-notifications-read = All notifications are marked as read.
flash-posting-saved = Saved.
flash-profile-saved = The profile is saved.
flash-proposed = Your proposal is sent. You will see the answer here.
flash-accepted = Accepted. You can now see each other's contact details.
flash-declined = Declined.
flash-withdrawn = Withdrawn.
flash-started = Marked as started.
flash-cancelled = Cancelled.
flash-completed = Completed. Thank you for reporting the outcome.
flash-verified = The organization is verified.
flash-rejected = The organization is rejected.

## Errors
error-home = Back to the home page
error-status = Error { $status }
error-detail-forbidden = You cannot do this here. Sign in with an account of the right organization.
error-detail-not-found = This page does not exist, or is not visible to you.
error-detail-conflict = This cannot be done in the current state. Go back, reload the page and try again.
error-detail-slow-down = Too many attempts. Wait a little and try again.
error-detail-invalid = Something in the request could not be read.
error-detail-internal = Something went wrong on our side. Please try again later.
error-malformed-json = The request could not be read
error-invalid-parameter = A value in the address is not valid
error-unsupported-media-type = The request could not be read
error-payload-too-large = What you sent is too large
error-validation-failed = Some fields are not valid
error-unauthenticated = Please sign in
error-invalid-credentials = The email or the password is not right.
error-forbidden = Not allowed
error-too-many-requests = Too many attempts; wait a few minutes and try again.
error-version-conflict = Someone else changed this in the meantime. Reload the page and make your change again.
error-email-taken = This email already has an account
error-already-member = Already a member
error-partnership-exists = These two postings already have a partnership in progress.
error-too-many-pending-proposals = This posting already has as many proposals waiting for an answer as it can take. Try again in a few days.
error-invalid-transition = This step is not possible in the partnership's current state.
error-capacity-exhausted = There is no capacity left for this.
error-posting-not-open = The posting is not open.
error-posting-in-partnership = The posting is part of a partnership; close it instead.
error-last-owner = The organization needs an owner
error-member-not-found = Member not found
error-organization-not-found = Organization not found
error-posting-not-found = Need or offer not found
error-saved-search-not-found = Saved search not found
error-partnership-not-found = Partnership not found
error-token-not-found = Not found
error-route-not-found = Page not found
error-method-not-allowed = Not possible here
error-request-timeout = This took too long
error-not-ready = Passerelle is starting; try again in a moment
error-internal = Something went wrong

## Field messages: the domain's refusals by code, with their parameters
v-required = is required
v-unknown-field = is not a field of this form
v-not-null = must not be left empty
v-wrong-type = must be { $expected }
v-unknown-value = is not one of { $allowed }
v-not-an-object = is not in the expected form
v-not-a-date = must be a date like 2027-03-31
v-not-a-date-time = must be a date and time like 2027-03-31T17:00:00Z
v-not-a-whole-number = must be a whole number
v-not-a-number = must be a number
v-empty = must not be empty
v-too-short = must be at least { $min } characters
v-too-long = must be at most { $max } characters
v-single-line = must be a single line
v-hidden-characters = contains characters that cannot be shown
v-invisible = must contain visible characters
v-invalid-email = "{ $value }" is not a valid email address
v-weak-password = is too common or too easy to guess; try a short phrase
v-invalid-charity-number = "{ $value }" is not a charity registration number (format 123456789RR0001)
v-charity-check-digit = "{ $value }" has an invalid business number check digit
v-invalid-website = "{ $value }" is not a web address
v-invalid-phone = "{ $value }" is not a phone number
v-unknown-province = choose a province or territory from the list
v-unknown-language = choose English or French
v-no-language = choose at least one language
v-unknown-category = choose a category from the list
v-unknown-skill = choose skills from the list
v-unknown-cause-area = choose cause areas from the list
v-too-many = choose at most { $max }
v-out-of-range = must be between { $min } and { $max }
v-year-out-of-range = must fall in the years { $min } to { $max }
v-not-in-future = must be in the future
v-before-start = must not be before the start date
v-province-required = is required unless the need can be met remotely
v-expired-open = is in the past; set a later date to open the posting
v-used-up = is { $quantity } after the partnerships it served; raise it to reopen the posting
v-offers-only = only offers have eligibility rules
v-new-posting-status = a new posting is a draft or open
v-expired-status = expiry is set by Passerelle; close the posting instead
v-duplicate-name = is already the name of another measure
v-number-or-text = must be a number or a few words
v-number-too-large = must be a number of at most { $digits } digits
v-no-organization = you belong to no organization
v-several-organizations = you belong to several organizations; choose the one that publishes this
v-same-organization = belongs to your own organization; a partnership joins two organizations
v-no-such-posting = { $kind ->
    [need] there is no need { $id }
   *[offer] there is no offer { $id }
}
v-not-eligible = is not open to this need: { $rule ->
    [org_kind] the offer is for other kinds of organizations
    [province] the offer does not serve this province or territory
    [cause_area] the offer supports other cause areas
    [charity_number] the offer is for registered charities
    [distance] the work is in person, in another province
   *[other] { $reason }
}
v-wrong-password = is not your current password
v-email-taken = already has an account; sign in instead
v-no-account = no account has this email; ask them to sign up first
v-nothing-to-tag = write a title or a description first
v-ids-or-all = choose the notifications to mark, or all of them
v-invalid-link = this link no longer works: it was used already, it expired, or it was cut short. Ask for a new one.

## Why matching suggests a pair (the reasons of a match, in the API too)
reason-same-category = Same category: { $category }
reason-related-category = Related category: { $category }
reason-skills = Skills in common: { $skills }
reason-text = Similar descriptions ({ $percent } % alike)
reason-same-language = Both in { $language ->
    [fr] French
   *[en] English
}
reason-other-language = Need in { $need ->
    [fr] French
   *[en] English
}, offer in { $offer ->
    [fr] French
   *[en] English
}
reason-same-province = Offer serves { $province }; need is in { $province }
reason-both-remote = Both can work remotely
reason-national = Offer serves all of Canada; need is in { $province }
reason-timing = Dates overlap
reason-amount = Offer ({ $offered }) covers the { $asked } asked
reason-cause-areas = Offer supports the organization's cause: { $causes }
reason-org-kind = Offer is meant for { $kinds }
reason-size = Offer prefers { $size ->
    [small] small
    [medium] medium-sized
   *[large] large
} organizations
reason-stale = Not updated for { $days } days
reason-unresponsive = The organization left { $percent } % of its proposals unanswered
reason-crowded = Already { $pending } proposals waiting for an answer

## Why a pair is left out (the rules of an offer and the state of the postings)
excluded-same-organization = Both postings belong to the same organization
excluded-not-open = { $side ->
    [need] The need
   *[offer] The offer
} is not open ({ $status })
excluded-expired = { $side ->
    [need] The need
   *[offer] The offer
} has expired
excluded-no-capacity = { $side ->
    [need] The need
   *[offer] The offer
} has no capacity left
excluded-organization-rejected = An administrator rejected one of the organizations
excluded-org-kind = Offer is only for { $kinds }; { $organization } is one of the { $kind }
excluded-province = Offer serves only { $provinces }; need is in { $province }
excluded-cause-area = Offer supports only { $causes }; not a cause area of { $organization }
excluded-charity-number = Offer is for registered charities; { $organization } has no charity registration number
excluded-size = The program is for organizations of other sizes; { $organization } is not one of them
excluded-distance = Work must be in person, but the offer is in { $offer_province } and the need in { $need_province }

## Notifications: what each kind says ($by_org acted; the need and offer are named by title)
nav-notifications = Notifications
nav-unread = { $count ->
    [0] no unread notifications
    [one] 1 unread notification
   *[other] { $count } unread notifications
}
notification-proposal-received = { $by_org } proposes a partnership: “{ $need_title }” with “{ $offer_title }”
notification-proposal-accepted = { $by_org } accepted your proposal: “{ $need_title }” with “{ $offer_title }”
notification-proposal-declined = { $by_org } declined your proposal: “{ $need_title }” with “{ $offer_title }”
notification-proposal-withdrawn = { $by_org } withdrew its proposal: “{ $need_title }” with “{ $offer_title }”
notification-proposal-expiring = A proposal waits for your answer until { $expires }: “{ $need_title }” with “{ $offer_title }”
notification-proposal-expired = A proposal expired without an answer: “{ $need_title }” with “{ $offer_title }”
notification-partnership-started = { $by_org } started the partnership: “{ $need_title }” with “{ $offer_title }”
notification-partnership-completed = { $by_org } completed the partnership: “{ $need_title }” with “{ $offer_title }”
notification-partnership-cancelled = { $by_org } cancelled the partnership: “{ $need_title }” with “{ $offer_title }”
notification-message-received = New message from { $by_org } about “{ $need_title }” with “{ $offer_title }”
notification-organization-verified = An administrator verified { $org }
notification-organization-rejected = An administrator rejected { $org }
notification-member-added = You were added to { $org }
notification-match-suggestions = New suggested partners for “{ $posting_title }”
notification-saved-search-results = New results for your saved search “{ $name }”
notification-note = Reason given: { $note }
notification-excerpt = “{ $excerpt }”
notifications-title = Notifications
notifications-empty = Nothing yet. You will be told here when a partner answers, writes or decides.
notifications-mark-all = Mark all as read
notifications-mark-one = Mark as read
notifications-unread = Unread
notifications-older = Older notifications
notifications-newer = Newer notifications
topic-proposals = Proposals received, withdrawn or expiring
topic-answers = Answers to your proposals
topic-partnerships = Partnerships started, completed or cancelled, and their follow-ups
topic-messages = Messages from partners
topic-organization = Your organizations: verification and members
topic-matches = Suggested matches for your needs and offers
topic-saved-searches = New results of your saved searches
delivery-immediate = Email at once
delivery-daily = One email a day
delivery-off = No email (notifications only)

## Emails
email-greeting = Hello { $name },
email-see = See it on Passerelle
email-see-link = See it on Passerelle: { $link }
email-why = You receive this email because { $email } has an account on Passerelle.
email-unsubscribe = Stop emails about { $topic }
email-preferences = Choose which emails you receive
email-digest-subject = { $count ->
    [one] 1 new notification today
   *[other] { $count } new notifications today
}
email-digest-intro = { $count ->
    [one] Here is what happened today.
   *[other] Here are the { $count } things that happened today.
}
account-title = Your account
account-language = Language of your emails and notifications
account-emails = Emails
account-emails-hint = Every notification shows under the bell; choose which ones also come by email.
flash-account-saved = Your account is saved.
unsubscribe-title = Stop emails
unsubscribe-ask = Stop the emails about { $topic }? You will still see them under the bell when you sign in.
unsubscribe-button = Stop these emails
unsubscribe-done = Done: you will no longer receive emails about { $topic }.
unsubscribe-invalid = This unsubscribe link is not valid. Sign in and choose your emails in your account.
nav-account = Account
partnership-back = ← My organization
messages-title = Conversation
messages-proposal = The proposal
messages-write = Your message
messages-write-hint = Only the members of { $organization } and of your organization read it.
messages-send = Send
message-former-member = A former member
flash-message-sent = Your message is sent; the other organization is told.
messages-open = Open the partnership and its conversation
org-answers-within = { $count ->
    [one] usually answers within a day
   *[other] usually answers within { $count } days
}
notification-invitation = You are invited to join { $org }; the email we sent has the link
email-greeting-anonymous = Hello,
email-why-asked = You receive this email because someone asked for it for { $email } on Passerelle. If it was not you, ignore it: nothing happens without the link.
email-reset-subject = Reset your password
email-reset-text = To choose a new password, open this link.
email-reset-expiry = The link works once, for one hour. Your other sign-ins end when you change the password.
email-confirm-subject = Confirm your email address
email-confirm-text = Confirm that { $email } is your address by opening this link.
email-confirm-expiry = The link works once, for seven days.
email-invitation-subject = Join { $org } on Passerelle
email-invitation-text = You are invited to join { $org } on Passerelle as { $role ->
    [owner] an owner
   *[other] a member
}. Open the link to accept, with your account or by creating one.
email-invitation-expiry = The link works once, for fourteen days.
role-owner = Owner
role-member = Member
account-email = Email address
account-email-hint = A new address receives a link to confirm it; it replaces this one once followed.
flash-email-change-sent = Saved. Open the link we sent to your new address to confirm it.
reset-title = Forgot your password?
reset-lead = Give the address of your account; we send it a link to choose a new password.
reset-send = Send the link
reset-sent = If an account has this address, a link to choose a new password is on its way. It works once, for one hour.
reset-new-title = Choose a new password
reset-new-password = New password
reset-save = Save the password
reset-again = Ask for a new link
confirm-title = Confirm your email address
confirm-button = Confirm my address
invitation-title = Join { $org }
invitation-lead = You are invited to join { $org } on Passerelle as { $role ->
    [owner] an owner
   *[other] a member
}.
invitation-accept = Join the organization
invitation-signin = Sign in to accept
invitation-signup = or create an account to accept
link-invalid-title = This link no longer works
flash-password-reset = Your password is changed. Sign in with it; your other sessions have ended.
flash-email-confirmed = Your email address is confirmed.
flash-invitation-accepted = Welcome: you are now a member of this organization.
signin-forgot = Forgot your password?
account-data = Your data
account-data-hint = Download everything Passerelle holds about you, or delete your account. Partnerships and messages your partners still need stay, without your name.
account-export = Download my data (JSON)
account-delete = Delete my account
account-delete-hint = This cannot be undone. If you are the last owner of an organization with other members, make one of them an owner first.
account-delete-password = Your password, to confirm
account-delete-button = Delete my account
flash-account-deleted = Your account is deleted.
members-title = Members of { $org }
members-link = Members
members-make-owner = Make owner
members-make-member = Make member
members-remove = Remove
members-step-down = Step down to member
members-leave = Leave the organization
members-invite = Invite someone
members-invite-hint = They receive a link by email that works for fourteen days, with an account or after creating one.
members-role = Role
members-invite-send = Send the invitation
flash-invitation-sent = The invitation is on its way.
flash-members-saved = Saved.
flash-left-organization = You left the organization.
search-save = Save this search: tell me of new results
saved-searches = Saved searches
saved-searches-hint = Once a day, the new results of each are told to you (in the daily digest unless you chose otherwise above).
saved-searches-none = No saved search yet: search, then “Save this search”.
saved-searches-delete = Forget
flash-search-saved = The search is saved; you will be told of its new results once a day.
flash-search-forgotten = The saved search is forgotten.

## Ending a proposal or a partnership: confirmation and reason
partnership-back-to = ← Back to the partnership
partnership-reason = Reason given: { $reason }
quoted = “{ $words }”
reason-pick = The main reason (optional)
reason-words = In your own words (optional)
reason-words-hint = The other organization reads this. Be kind and specific: it helps them next time.
confirm-keep = Go back
confirm-decline-title = Decline this proposal?
confirm-decline-lead = { $organization } will be told that you declined, with the reason you give here. The proposal cannot be accepted afterwards.
confirm-decline-submit = Decline the proposal
confirm-withdraw-title = Withdraw your proposal?
confirm-withdraw-lead = { $organization } will be told that you withdrew it, with the reason you give here.
confirm-withdraw-submit = Withdraw the proposal
confirm-cancel-title = Cancel this partnership?
confirm-cancel-lead = { $organization } will be told that the partnership is cancelled, with the reason you give here. This cannot be undone.
confirm-cancel-submit = Cancel the partnership
reason-not-a-fit = It is not a good fit for us
reason-no-capacity = We do not have the capacity right now
reason-found-another-partner = We found another partner
reason-needs-changed = Our needs or plans changed
reason-no-response = The other organization did not respond
reason-other = Another reason

## Contact details wait for verification
contact-withheld-you-unverified = Contact details are shared once an administrator has verified your organization. Until then, write to { $organization } in the conversation.
contact-withheld-partner-unverified = Contact details are shared once an administrator has verified { $organization }. Until then, write to them in the conversation.
contact-withheld-both-unverified = Contact details are shared once an administrator has verified both organizations. Until then, write to { $organization } in the conversation.

## The pages a real service has
info-about = About
info-help = Help
info-privacy = Privacy
info-terms = Terms of use
admin-sections = Sections
admin-reports = Reports
admin-pending = Waiting for verification
admin-search = All organizations
admin-no-reports = No report is waiting.
admin-reported-by = Reported by { $who }
admin-dismiss-note = Note for the reporter (optional)
admin-dismiss = Dismiss
admin-handled = Recently handled reports
admin-state = State
admin-any-state = Any state
admin-found-none = No organization matches.
admin-hide = Hide
admin-restore = Show again
admin-reopen = Back to the queue
admin-back = ← Moderation
confirm-reject-title = Reject this organization?
confirm-reject-lead = { $organization } will disappear from search with its postings, and its members will be told why. You can undo this later from the moderation page.
confirm-hide-title = Hide this posting?
confirm-hide-lead = “{ $title }” will disappear from search and from its page for everyone but its organization, which will see the reason you give here.
confirm-moderation-hint = The organization’s members read this.
confirm-close-need-title = Close this need?
confirm-close-offer-title = Close this offer?
confirm-close-lead = “{ $title }” will leave search and accept no new proposal. Organizations whose proposals wait will be told, with the reason you give here.
confirm-close-hint = Organizations whose proposals wait for an answer read this.
posting-back = ← Back to the posting
posting-hidden-notice = An administrator hid this posting: only your organization sees it. Reason: { $reason }
posting-closed-notice = Closed by its organization: “{ $note }”
flash-posting-closed = The posting is closed.
flash-reopened = The organization is back in the verification queue.
flash-posting-hidden = The posting is hidden; its organization is told why.
flash-posting-restored = The posting is shown again.
flash-report-resolved = The report is answered; its author is told.
flash-reported = Thank you. An administrator will look at your report.
flash-already-reported = You reported this already; an administrator will look at it.
report-posting = Report this posting
report-organization = Report this organization
report-reason = What is wrong?
report-reason-hint = Only administrators read this. For example: misleading, not a real organization, asks for money.
report-submit = Send the report
report-target-posting = Posting
report-gone = (deleted)
report-status-open = Waiting
report-status-dismissed = Dismissed
report-status-actioned = Acted on
moderation-reason-spam = Spam or advertising
moderation-reason-misleading = Misleading or false
moderation-reason-not-eligible = Not eligible for Passerelle
moderation-reason-could-not-verify = We could not confirm the organization
moderation-reason-duplicate = A duplicate
moderation-reason-inappropriate = Inappropriate content
moderation-reason-other = Another reason
topic-moderation = Reports and moderation
topic-programs = Programs and applications
notification-report-received = New report about “{ $name }”
notification-report-resolved = { $status ->
    [dismissed] An administrator looked at your report about “{ $name }” and found nothing to change
   *[other] An administrator acted on your report about “{ $name }”
}
notification-posting-hidden = An administrator hid “{ $posting_title }”
notification-posting-restored = An administrator showed “{ $posting_title }” again
notification-posting-closed = { $by_org } closed “{ $posting_title }”, which your proposal waits on
notification-verification-reopened = An administrator put { $org } back in the verification queue
error-already-reported = You reported this already
error-report-not-found = Report not found
v-not-found = matches nothing you can see
posting-unit = What the number counts
unit-items = Items (laptops, licences, devices)
unit-seats = Seats (in a training or a course)
unit-people = People (staff, volunteers, experts)
unit-hours = Hours of work
unit-licences = Software licences
quantity-items = { $count ->
    [one] { $count } item
   *[other] { $count } items
}
quantity-seats = { $count ->
    [one] { $count } seat
   *[other] { $count } seats
}
quantity-people = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
quantity-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
quantity-licences = { $count ->
    [one] { $count } licence
   *[other] { $count } licences
}
posting-filled-by-one-need = Can one partner meet all of it?
posting-filled-by-one-offer = Is it for one organization only?
posting-fills-whole-need = One partnership meets all of it
posting-fills-shared-need = Several partners can each meet part of it
posting-fills-whole-offer = For one organization, which receives all of it
posting-fills-shared-offer = Shared among several organizations
propose-units = How many the partnership covers
propose-units-hint = The need asks for { $need }; the offer has { $offer }.
interest-lead-offer = No need of yours fits? Say in a few words what this would help you do: we publish the need for your organization and send it with your proposal.
interest-lead-need = No offer of yours fits? Say in a few words what you can give: we publish the offer for your organization and send it with your proposal.
interest-description-offer = What would it help your organization do?
interest-description-need = What can your organization give?
interest-description-hint = A few sentences; the other organization reads them first.
interest-quantity = How many
interest-quantity-hint = Available: { $available }. Leave empty for 1.
interest-more = Title of the posting we publish for you
interest-title = Title
interest-title-hint = By default the same title as this posting.
flash-interest-sent = Your proposal is sent, with the posting we published for your organization.
partnership-covers = Covers: { $units }
error-saved-searches-full = You keep 50 saved searches, the most one may; delete one from your account page first.
outcome-report = What the partnership changed
outcome-completed-on = Completed on
publicity-listed = This partnership and its result are listed on both organizations’ public pages and in Passerelle’s open data (360Giving).
publicity-waiting = You agreed to list this partnership on the public pages; it shows once { $organization } agrees too.
publicity-asked = { $organization } would like to list this partnership and its result on both organizations’ public pages and in Passerelle’s open data (360Giving).
publicity-not-listed = This partnership is not listed on the public pages.
publicity-agree = List it on our public pages
publicity-stop = Stop listing it
complete-public = List this partnership and its result on both organizations’ public pages and in Passerelle’s open data (360Giving), once { $organization } agrees too
flash-publicity-saved = Saved.
org-completed = Completed partnerships
profile-complete = Your profile is { $percent } % complete.
profile-missing = Still missing: { $fields }.
profile-complete-edit = Complete the profile
org-completed-on = completed { $date }
org-completed-measure = { $name }: { $before } → { $after }
search-more = Timing and value
search-closing-soon = Closing within two weeks
search-eligible = Only offers my organization may receive
search-min-value = Value at least ($)
search-max-value = Value at most ($)
error-call-closed = The call for applications is not open
error-application-decided = The application is decided and can no longer change
error-allocation-confirmed = The allocation is confirmed already
error-program-not-found = Program not found
error-application-not-found = Application not found
error-allocation-run-not-found = Allocation run not found
v-closes-before-opens = must be after the opening
v-group-code = must be 1 to 40 lowercase letters, digits or _
v-not-a-partner = is not a partner of the program
v-answer-each = answer each of the { $count } questions
v-pins-break-limits = the pinned units break a limit: { $reason }
notification-program-invitation = You are invited to apply to “{ $name }”
notification-application-received = { $org } applied to “{ $name }”
notification-application-decided = { $status ->
    [selected] { $org } is selected in “{ $name }”: its proposals are waiting for your answer
    [waitlisted] { $org } is on the waitlist of “{ $name }”
   *[other] { $org } is not selected in “{ $name }” this time
}
nav-programs = Programs
programs-title = Programs
programs-lead = Partners from several sectors serve a cohort of organizations together: equipment, training, expertise and funding, given fairly and explained.
programs-none = No program yet.
call-state-upcoming = Call not open yet
call-state-open = Call open
call-state-closed = Call closed
program-window = applications from { $opens } to { $closes }
program-component-count = { $count ->
    [one] { $count } component
   *[other] { $count } components
}
program-led-by = Led by
program-your-application = Application of { $org }
program-partners = Partners
program-components = What the program gives
program-component = Component
program-capacity = In all
program-given = Given
program-offered = Proposed
program-remaining = Left
program-per-org = at most { $count } per organization
program-milestones = Milestones
program-priorities = Priority groups
program-questions = Questions every application answers
program-cohort = Cohort
program-no-members = No organization is selected yet.
program-applications = { $count ->
    [one] { $count } application
   *[other] { $count } applications
}
partner-role-funds = Funding
partner-role-equipment = Equipment
partner-role-training = Training
partner-role-expertise = Expertise
partner-role-hosting = Hosting and connectivity
application-status-draft = Draft
application-status-submitted = Submitted
application-status-withdrawn = Withdrawn
application-status-selected = Selected
application-status-waitlisted = On the waitlist
application-status-not-selected = Not selected
decision-given = { $given } of { $asked } asked (fit { $fit }).
shortfall-excluded = The program team left this request out.
shortfall-not-a-fit = It does not fit this component well enough.
shortfall-per-org-max = That is the most one organization receives.
shortfall-own-maximum = That is the most you asked to receive in all.
shortfall-component-full = Every unit went to applicants whose units were worth more; you are number { $position } on the waitlist.
shortfall-partner-cap = The partner gives no more across its components; you are number { $position } on the waitlist.
shortfall-fairness = A further unit would add less than the cost of giving one organization more.
program-workspace = Team workspace: applications, allocation, invitations
program-apply = Apply
program-change-application = Change the application
program-withdraw = Withdraw
apply-title = Apply to “{ $name }”
apply-as = Applying as { $org }
apply-status = your application is { $status }
apply-as-other = Apply as another of your organizations
apply-switch = Switch
apply-components = What you ask for
apply-components-hint = Give the number of units you would use for each component you want; leave the others empty.
apply-units = Units
apply-units-hint = At most { $most }.
apply-need = The need it meets
apply-need-none = None in particular
apply-groups = Priority groups you belong to
apply-max-units = The most units you take in all (optional)
apply-max-units-hint = Leave empty if any combination suits you.
apply-submit = Submit the application
apply-save-draft = Save as a draft
flash-application-saved = Your draft is saved; submit it before the call closes.
flash-application-submitted = Your application is submitted. The program team will tell you its decision.
flash-application-withdrawn = Your application is withdrawn.
flash-allocation-run = The allocation ran; each request shows what it got and why.
flash-allocation-confirmed = The allocation is confirmed: the partnerships are proposed and every applicant is told.
flash-invited = The organization is invited; its members are told.
workspace-title = Workspace of “{ $name }”
workspace-allocation = Allocation
workspace-confirmed = Confirmed on { $at }: each selection is a partnership in the ordinary workflow.
workspace-latest-run = Latest run on { $at }, total value { $value }.
workspace-no-run = No allocation has run yet. Run it, read the outcome of each request, pin or leave out what you must, and run it again before you confirm.
workspace-no-applications = No application is submitted yet.
workspace-organization = Organization
workspace-asked = Asked
workspace-outcome = Outcome of the latest run
workspace-fix = Before the next run
workspace-fix-for = Before the next run, for { $org } and { $component }
workspace-fix-solver = Let the allocation decide
workspace-fix-pin = Give exactly
workspace-fix-exclude = Leave out
workspace-pin-units = Units to give
workspace-run = Run the allocation
workspace-confirm = Confirm this allocation
workspace-confirm-hint = Confirming proposes a partnership for each selection, from the component's partner, and tells every applicant its decision. It cannot be undone.
workspace-invite = Organizations to invite
workspace-invite-hint = Eligible organizations that have not applied, whose needs fit a component best.
workspace-no-candidates = No eligible organization with a fitting need is waiting for an invitation.
workspace-their-need = Their need
workspace-fit = Fit
workspace-invitation = Invitation
workspace-invite-button = Invite
workspace-invited-on = Invited on { $on }
error-already-invited = Already invited
v-already-applied = has applied to the program already
cohort-progress = partnerships: { $proposed } proposed, { $under_way } under way, { $completed } completed
cohort-given = The completed partnerships report { $hours } hours and { $value } given.
cohort-indicators = What changed, summed over the completed partnerships that measured it
cohort-indicator = Indicator
cohort-reporting = Partnerships reporting
cohort-before = Before
cohort-after = After
program-calendar = Add the milestones to your calendar (iCalendar)
calendar-opens = Call opens: { $name }
calendar-closes = Call closes: { $name }
program-form-title = Create a program
program-form-lead = A program brings partners from several sectors together to serve a cohort of organizations: each partner gives one or more components, organizations apply during the call, and your team allocates the components fairly.
program-form-program = The program and its call
program-form-lead-org = Led by
program-form-name = Name of the program
program-form-description = Description
program-form-description-hint = What the program gives, to whom and why; applicants read this first.
program-form-opens = Call opens on
program-form-closes = Call closes on
program-form-who = Who may apply
program-form-who-hint = Leave a list empty to accept everyone.
program-form-sizes = Organization sizes
program-form-partners-hint = The organizations that give the components with you, each with its role; leave unused rows empty.
program-form-partner-n = Partner { $n }
program-form-no-partner = No partner in this row
program-form-organization = Organization
program-form-role = Role
program-form-cap = Most units in all (optional)
program-form-cap-hint = The partner gives no more than this across its components.
program-form-components-hint = One kind of support each, given by one partner (or by your organization); leave unused rows empty.
program-form-component-n = Component { $n }
program-form-component-title = What it is
program-form-given-by = Given by
program-form-unit = Counted in
program-form-per-org = Most for one organization (optional)
program-form-value = Value of one unit in dollars (optional)
program-form-component-description = Details (optional)
program-form-groups-hint = Organizations in a priority group count for more in the allocation: the weight adds to the value of each unit they receive.
program-form-group-n = Priority group { $n }
program-form-group-name = Name, as applicants read it
program-form-group-who = Who belongs
program-form-group-declared = Applicants say they belong
program-form-group-size = Size: { $size }
program-form-group-language = Working language: { $language }
program-form-group-province = Province or territory: { $province }
program-form-group-weight = Weight, from 0 to 1
program-form-group-weight-hint = 0.1 is a slight preference, 0.5 a strong one.
program-form-questions = Questions every application answers
program-form-questions-hint = One question per line.
program-form-milestone-n = Milestone { $n }
program-form-milestone-title = What happens
program-form-milestone-on = On
program-form-submit = Create the program
programs-new = Create a program
flash-program-created = The program is created. Its page is public; organizations apply when the call opens.
program-each = { $value } each
shortfall-bundle = You asked for all of these or none, and they could not all be given.
apply-all-or-nothing = All or nothing: we need every component we ask for together, or none of them.
program-form-group-min-share = Minimum share of all the units, in % (optional)
program-form-group-min-share-hint = For example 30: at least 30 % of the units go to this group's members; the allocation says what it costs.
workspace-constraints-cost = Without the bundles and minimum shares the value would be { $without }: they cost { $loss } %.
program-group-min-share = { $name }: at least { $share } % of all the units
program-form-translated-title = Name in the other language, French or English (optional)
program-form-translation-hint = Readers of the other language see this name and description instead.
program-form-translated-description = Description in the other language (optional)
program-edit = Change the program
program-edit-title = Change “{ $name }”
program-edit-submit = Save the changes
flash-program-saved = The program is saved.
nav-gaps = Where help is needed
gaps-title = Where help is needed
gaps-lead = Needs that organizations posted and that are still open, by province or territory and kind of help, against the offers that could meet them. For funders deciding where an investment would meet the most unmet need.
gaps-cause-area = Cause area of the organizations in need
gaps-size = Size of the organizations in need
gaps-any = Any
gaps-filter = Show
gaps-map-title = Needs still unmet after 60 days, by province and territory
gaps-map-caption = Each tile is a province or territory with its number of needs still unmet after 60 days; the darker, the more. The table below has every figure.
gaps-tile = { $province }: { $unmet } needs unmet after 60 days, { $open } open
gaps-summary = Needs unmet after 60 days: { $list }.
gaps-summary-none = No need has waited more than 60 days.
gaps-csv = Download the table (CSV)
gaps-empty = No open need matches these filters.
gaps-table = Where an investment would meet the most unmet need, first
gaps-where = Where, and what kind of help
gaps-unmet = Unmet after 60 days
gaps-open = Open needs
gaps-offers = Offers that can serve them
gaps-per-offer = Needs per offer
gaps-no-offer = no offer
gaps-last-year = New needs, last 12 months

## Digital check-up
v-not-suggested = was not suggested by this check-up
v-already-published = was published already, as need { $need_id }
v-duplicate = is given twice
error-checkup-not-found = Check-up not found
checkup-title = Digital check-up
checkup-for = For { $org }
checkup-intro = { $count } questions about where your organization stands with technology, about eight minutes. Choose the answer closest to your situation today; there is no wrong answer. You get a profile, and needs you can publish in one step.
checkup-submit = See my results
checkup-licence = The Passerelle digital check-up is free to reuse under the Creative Commons Attribution 4.0 licence (CC BY 4.0).
checkup-result-title = Your digital check-up
checkup-result-lead = { $org }, { $date }
checkup-profile = Your profile
checkup-profile-first = Each area from 0 (just starting) to 100 (leading). Take the check-up again later to see what changed.
checkup-profile-change = Each area from 0 (just starting) to 100 (leading), against your check-up of { $date }.
checkup-chart-title = Digital check-up profile, from 0 to 100 per area
checkup-chart-row = { $dimension } { $score }
checkup-chart-row-change = { $dimension } { $score } (was { $earlier })
checkup-legend-now = { $date }
checkup-legend-earlier = { $date } (earlier)
checkup-table = Score per area
checkup-dimension = Area
checkup-score = Score
checkup-earlier = Before
checkup-change = Change
checkup-suggestions = Suggested needs
checkup-no-suggestions = Your answers suggest no need. Well done!
checkup-suggestions-hint = Your answers point to help that partners on Passerelle give. Tick the ones you want; they are published as open needs of your organization, which you can edit or close afterwards.
checkup-suggestions-legend = Needs to publish
checkup-published-heading = Already published from your check-ups
checkup-because = Because of your answer to: { $questions }
checkup-publish = Publish the ticked needs
checkup-history = Your check-ups
checkup-this-one = this one
checkup-again = Take the check-up again
checkup-last = Your last check-up: { $date }.
checkup-see = See the results
checkup-invite = Where does your organization stand with technology? Twenty questions, about eight minutes, and you get needs ready to publish.
checkup-take = Take the check-up
flash-checkup-taken = Your check-up is saved.
flash-checkup-published = Your needs are published.
flash-checkup-published-one = Your need is published.
gaps-open-data = Open data
gaps-open-needs = Open needs (CSV)
gaps-open-offers = Open offers (CSV)
gaps-open-grants = Completed partnerships, 360Giving format (JSON)
gaps-open-data-hint = Free to reuse: every open need and offer with its category codes, and the partnerships both organizations agreed to publish.
results-title = Results of { $org }
results-lead = Partnerships, what they changed, and the digital check-up, as of { $date }.
results-print-hint = This page prints as a report for your funders (use your browser’s Print).
results-link = Results (printable)
results-exchange = Help given and received
results-exchange-caption = Partnerships by side, with the hours and value their outcome reports declare
results-side = Side
results-received = Received (your needs)
results-given = Given (your offers)
results-completed = Completed
results-under-way = Under way
results-started = Started
results-hours = Hours
results-value = Value
results-timeline = Partnerships over time
results-timeline-title = Partnerships started and completed per quarter
results-timeline-row = { $quarter }: { $completed } completed, { $started } started
results-timeline-caption = Partnerships per quarter
results-quarter = Quarter
results-indicators = What the partnerships changed
results-indicators-caption = Indicators of the outcome reports, from the baseline to the follow-ups
results-no-indicators = No completed partnership has reported an indicator yet.
results-indicator = Indicator
results-before = Before
results-after = At completion
results-partner = Partner
results-checkup-change = Your first check-up ({ $first }) against your latest ({ $latest }).
sector-title = Passerelle in numbers
sector-lead = What partnerships on Passerelle gave over the last twelve months, from the reports organizations filed when they completed them. Aggregates only; refreshed every few minutes.
sector-completed = Partnerships completed (12 months)
sector-hours = Hours given
sector-value = Value given
sector-answer = Median time to an answer to a proposal
sector-days = { $days } days
sector-met = Needs met
sector-share = { $percent } % of the { $needs } needs posted
sector-none = Not enough data yet
sector-over-time = Partnerships over time
sector-chart-title = Partnerships completed per quarter
sector-quarters-caption = Partnerships completed per quarter, with the hours and value they declared
sector-where = Where, and what kind of help
sector-where-caption = Partnerships completed over twelve months by province or territory of the organization helped, and kind of help
sector-no-cells = No partnership was completed over the last twelve months.
sector-see-gaps = Where help is still needed
sector-json = These figures as JSON
gaps-see-sector = Passerelle in numbers

## Outcomes followed over time
v-unknown-indicator = unknown indicator “{ $value }”
v-from-list = leave it empty: the indicator list gives it
v-missing-indicators = must include the indicators the program asks of its cohort ({ $codes })
error-follow-up-not-found = Follow-up not found
error-follow-up-not-open = This follow-up is not due yet
indicator-unit-people = people
indicator-unit-organizations = organizations
indicator-unit-percent = %
indicator-unit-hours = hours
indicator-unit-cad = $
indicator-unit-devices = devices
indicator-unit-count = number
outcome-indicator-code = From Passerelle’s list
outcome-indicator-own = My own measure (name it below)
outcome-indicator-name-hint = Only for your own measure, e.g. “Meals delivered”.
outcome-indicator-unit = Unit
outcome-indicator-unit-hint = Only for your own measure, e.g. “meals”.
outcome-indicator-target = Target
outcome-required = The program asks its cohort to report: { $indicators }.
outcome-follow-ups-hint = Passerelle will ask you for these measures again 3 and 12 months from now, to show what lasted.
follow-up-three-months = After 3 months
follow-up-twelve-months = After 12 months
follow-ups-title = Follow-ups
follow-up-due-on = due { $date }
follow-up-reported-on = reported { $date }
follow-up-report = Report it
follow-up-correct = Correct it
follow-up-title = Follow-up { $when }
follow-up-lead = Measure again what the partnership with { $organization } changed. Leave empty what you did not measure.
follow-up-baseline = baseline { $value }
follow-up-target = target { $value }
follow-up-at-completion = at completion { $value }
follow-up-note = What changed since (optional)
follow-up-note-hint = Your partner reads it.
follow-up-submit = Save the follow-up
flash-follow-up-saved = Follow-up saved. Your partner is told.
notification-follow-up-due = { $due ->
    [twelve_months] The 12-month follow-up is due: measure again what “{ $need_title }” with “{ $offer_title }” changed
   *[other] The 3-month follow-up is due: measure again what “{ $need_title }” with “{ $offer_title }” changed
}
notification-follow-up-reported = { $due ->
    [twelve_months] { $by_org } reported its 12-month follow-up of “{ $need_title }” with “{ $offer_title }”
   *[other] { $by_org } reported its 3-month follow-up of “{ $need_title }” with “{ $offer_title }”
}
program-form-indicators = Indicators every partnership of the cohort reports
program-form-indicators-hint = From Passerelle’s indicator list; each organization gives a baseline, a target, the value at completion and follow-ups at 3 and 12 months.
follow-up-not-yet = You can report this follow-up from { $date }; Passerelle will remind you when it is due.

## Program results
program-results-link = Results (printable)
program-results-title = Results: { $name }
program-results-lead = Led by { $lead }; applications, allocation, delivery and the cohort’s indicators, as of { $date }.
program-results-applications = Applications
program-results-applications-caption = Applications by where they stand
program-results-status = Status
program-results-count = Number
program-results-allocation = What each component gave against its capacity
program-results-allocation-caption = Components: capacity, units given, proposed and delivered
program-results-component-row = { $component }: { $given } given of { $capacity }
program-results-component = Component
program-results-partner = Partner
program-results-capacity = Capacity
program-results-given = Given
program-results-offered = Proposed, waiting
program-results-delivered = Delivered
program-results-delivery = Delivery
program-results-proposed = Proposed, waiting for an answer
program-results-ended = Declined, withdrawn or cancelled
program-results-indicators = What changed for the cohort
program-results-required = The program asks its cohort to report: { $indicators }.
program-results-indicators-caption = The cohort’s indicators, from the baseline to the 12-month follow-up
program-results-reporting = Partnerships reporting
program-results-targets-met = Targets met
program-results-met = { $met } of { $set }
program-results-stage = { $value } ({ $count } reporting; { $completion } at completion)
program-results-follow-up-bar = { $stage } ({ $count } reporting)
program-results-follow-up-desc = { $stage }: { $value }, against { $completion } at completion for the same partnerships
program-results-value = Value
program-results-same-at-completion = At completion, for the partnerships reporting
program-results-sums = Counts are added up over the partnerships that report them; percentages are averaged. A follow-up covers the partnerships that reported it.
