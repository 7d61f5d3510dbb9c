# Les pages de Passerelle en français. Chaque clé est aussi dans en.ftl (un test le vérifie).

## Gabarit
skip-to-content = Aller au contenu
nav-label = Principal
nav-search = Rechercher
nav-my = Mon organisme
nav-admin = Administration
nav-signed-in-as = Connecté : { $name }
nav-signout = Se déconnecter
nav-signin = Se connecter
nav-signup = S’inscrire
nav-other-language = English
footer-text = Passerelle met en relation les organismes à but non lucratif avec les entreprises, fondations et organismes publics qui peuvent les aider à renforcer leur capacité numérique.
footer-api = API pour les intégrateurs

## Accueil
home-title = Trouvez des partenaires pour les besoins numériques de votre organisme
home-lead = Les organismes publient ce dont ils ont besoin — des ordinateurs portables, un nouveau site Web, une formation en cybersécurité, de l’aide pour passer à un logiciel de gestion des relations. Entreprises, fondations et organismes publics publient ce qu’ils peuvent offrir. Passerelle propose les meilleurs jumelages, en français et en anglais, et suit chaque partenariat jusqu’à ses résultats.
home-counts = Passerelle aujourd’hui
home-count-needs = { $count ->
    [one] besoin ouvert
   *[other] besoins ouverts
}
home-count-offers = { $count ->
    [one] offre ouverte
   *[other] offres ouvertes
}
home-count-organizations = { $count ->
    [one] organisme
   *[other] organismes
}
home-how = Comment ça marche
home-how-1 = Votre organisme s’inscrit et décrit ce dont il a besoin ou ce qu’il peut offrir.
home-how-2 = Passerelle suggère des partenaires et explique pourquoi chacun convient.
home-how-3 = Vous proposez un partenariat; quand les deux parties ont dit oui, vous voyez les coordonnées de l’autre et vous vous mettez au travail.
home-join = S’inscrire à Passerelle
home-browse = Parcourir les besoins et les offres
home-recent-needs = Besoins récents
home-recent-offers = Offres récentes
home-none = Rien pour l’instant.
home-all-needs = Tous les besoins
home-all-offers = Toutes les offres

## Recherche
search-title = Rechercher des besoins, des offres et des organismes
search-label = Rechercher
search-placeholder = Par exemple : refonte de site Web, formation en cybersécurité
search-submit = Rechercher
search-filters = Filtres
search-language = Langue de l’annonce
search-any-language = Toutes les langues
search-sort = Trier par
search-sort-relevance = Pertinence
search-sort-recent = Plus récents
search-apply = Appliquer les filtres
search-clear = Tout effacer
search-total = { $count ->
    [0] Aucun résultat
    [one] { $count } résultat
   *[other] { $count } résultats
}
search-nothing = Aucun résultat. Essayez avec moins de mots ou retirez un filtre.
search-pages = Pages
search-previous = Page précédente
search-next = Page suivante
search-page = Page { $page }
facet-kind = Type
facet-category = Catégorie
facet-province = Province ou territoire
facet-org-kind = Type d’organisme
facet-remote = À distance

## Valeurs
kind-need = Besoin
kind-offer = Offre
kind-organization = Organisme
remote-true = Possible à distance
remote-false = En personne
remote-short = à distance
language-en = Anglais
language-fr = Français
org-kind-nonprofit = Organisme à but non lucratif
org-kind-charity = Organisme de bienfaisance enregistré
org-kind-company = Entreprise
org-kind-foundation = Fondation
org-kind-public-agency = Organisme public
org-kind-academic = Cégep, collège ou université
org-kind-community-group = Groupe communautaire
org-kinds-nonprofit = organismes à but non lucratif
org-kinds-charity = organismes de bienfaisance enregistrés
org-kinds-company = entreprises
org-kinds-foundation = fondations
org-kinds-public-agency = organismes publics
org-kinds-academic = établissements d’enseignement
org-kinds-community-group = groupes communautaires
size-small = Petit (moins de 10 employés)
size-medium = Moyen (10 à 99 employés)
size-large = Grand (100 employés ou plus)
status-draft = Brouillon (visible par votre organisme seulement)
status-open = Ouvert
status-paused = En pause
status-fulfilled = Comblé
status-closed = Fermé
status-expired = Expiré
partnership-status-proposed = Proposé
partnership-status-accepted = Accepté
partnership-status-declined = Refusé
partnership-status-withdrawn = Retiré
partnership-status-expired = Expiré
partnership-status-active = En cours
partnership-status-completed = Terminé
partnership-status-cancelled = Annulé
verification-pending = En attente de vérification
verification-verified = Vérifié
verification-rejected = Non approuvé

## Annonces
posting-by = Publié par
posting-edit = Modifier
posting-description = Description
posting-details = Détails
posting-title = Titre
posting-category = Catégorie
posting-skills = Compétences
posting-where = Où
posting-anywhere = Partout au Canada
posting-language = Langue
posting-quantity-need = Nombre recherché
posting-quantity-offer = Nombre disponible
posting-value = Valeur en dollars canadiens
posting-hours = Heures
posting-dates = Dates
posting-from = À partir du { $date }
posting-until = Jusqu’au { $date }
posting-expires = Ouvert jusqu’au
posting-status = Statut
posting-rules = Qui peut recevoir cette offre
posting-publish = Publier
posting-pause = Mettre en pause
posting-close = Fermer
rule-org-kinds = Réservé aux { $kinds }.
rule-provinces = Seulement en { $provinces }.
rule-cause-areas = Seulement pour : { $causes }.
rule-charity = Réservé aux organismes de bienfaisance enregistrés (avec un numéro de l’ARC).

## Partenaires suggérés
suggested-title = Partenaires suggérés
suggested-lead-need = Les offres qui conviennent à ce besoin, les meilleures d’abord, et pourquoi.
suggested-lead-offer = Les besoins que cette offre pourrait combler, les meilleurs d’abord, et pourquoi.
suggested-none = Aucune suggestion pour l’instant. De nouvelles offres et de nouveaux besoins arrivent chaque jour.
suggested-score = Convenance { $score } %
suggested-why = Pourquoi ça convient

## Propositions
propose-action = Proposer un partenariat
propose-title = Proposer un partenariat
propose-message = Votre message
propose-message-hint = Qui vous êtes, ce que vous aimeriez faire ensemble et quand.
propose-submit = Envoyer la proposition
propose-signin = Se connecter pour proposer un partenariat
propose-to = Proposer un partenariat à { $organization }
propose-publish-offer = Publier une offre
propose-publish-need = Publier un besoin
propose-goes-to = Votre proposition est envoyée à { $organization }. L’organisme voit votre message et peut accepter ou refuser.
propose-own-offer = Votre offre
propose-own-need = Votre besoin

## Organismes
org-name = Nom de l’organisme
org-kind = Type d’organisme
org-province = Province ou territoire
org-city = Ville
org-languages = Langues de travail
org-description = À propos de l’organisme
org-description-hint = Votre mission et les personnes que vous servez, en quelques phrases.
org-website = Site Web
org-website-hint = Par exemple : exemple.org
org-size = Taille
org-charity-number = Numéro d’enregistrement d’organisme de bienfaisance (ARC)
org-charity-number-hint = Organismes de bienfaisance enregistrés seulement, comme 123456789RR0001.
org-cause-areas = Causes
org-contact-email = Courriel de contact
org-contact-phone = Téléphone de contact
org-contact-hint = Montré à un partenaire seulement quand les deux parties ont dit oui.
org-verified = vérifié par Passerelle
org-not-verified = pas encore vérifié
org-open-needs = Besoins ouverts
org-open-offers = Offres ouvertes
org-none-open = Aucun pour le moment.

## Comptes
user-display-name = Votre nom
user-email = Courriel
user-password = Mot de passe
user-password-hint = Au moins 10 caractères. Une courte phrase est facile à retenir et difficile à deviner.
signup-title = S’inscrire à Passerelle
signup-lead = Créez votre compte et le profil de votre organisme. Un administrateur vérifie les nouveaux organismes; vous pouvez publier des besoins et des offres tout de suite.
signup-you = Vous
signup-joining = On vous invite à rejoindre un organisme : une fois votre compte créé, vous acceptez l’invitation à la page suivante.
signup-organization = Votre organisme
signup-submit = Créer mon compte
signup-have-account = Vous avez déjà un compte?
signin-title = Se connecter
signin-submit = Se connecter
signin-no-account = Nouveau sur Passerelle?

## Mon organisme
my-title = Mon organisme
my-other-orgs = Vos autres organismes :
my-new-need = Publier un besoin
my-new-offer = Publier une offre
my-edit-profile = Modifier le profil
my-public-page = Voir la page publique
my-proposals = Propositions
my-received = Reçues
my-sent = Envoyées
my-none = Aucune.
my-partnerships = Partenariats
my-past = Précédents
my-postings = Besoins et offres
my-needs = Besoins
my-offers = Offres
my-no-postings = Rien de publié pour l’instant.
my-actions = Actions
my-profile = Coordonnées
profile-title = Modifier le profil de l’organisme
partnership-with = Avec
partnership-accept = Accepter
partnership-decline = Refuser
partnership-withdraw = Retirer
partnership-start = Marquer comme commencé
partnership-complete = Terminer et rendre compte des résultats
partnership-cancel = Annuler le partenariat
contact-title = Contact
contact-person = Personne
contact-email = Courriel
contact-phone = Téléphone
contact-website = Site Web

## Formulaire d’annonce
posting-form-new-need = Publier un besoin
posting-form-new-offer = Publier une offre
posting-form-edit = Modifier l’annonce
posting-form-lead-need = Décrivez ce dont votre organisme a besoin. Des mots simples sont préférables : les partenaires cherchent en français et en anglais.
posting-form-lead-offer = Décrivez ce que votre organisme peut offrir, et à qui.
posting-form-what = Quoi
posting-form-kind-of-help = Type d’aide
posting-form-where-when = Où et quand
posting-form-how-much = Combien
posting-title-hint = De 5 à 200 caractères, par exemple « Portables pour notre programme d’aide aux devoirs ».
posting-description-hint = Au moins 10 caractères : le contexte, ce dont vous avez besoin ou ce que vous offrez, et vos contraintes.
posting-province = Province ou territoire
posting-remote = Possible à distance
posting-starts-on = Date de début
posting-ends-on = Date de fin
posting-expires-on = Ouvert jusqu’au
posting-expires-hint = Laissez vide pour le garder ouvert jusqu’à ce que vous le fermiez.
posting-quantity-need-hint = Ce qui manque encore; chaque partenariat accepté en prend sa part.
posting-quantity-offer-hint = Ce qui reste à donner; chaque partenariat accepté en prend sa part.
posting-value-hint = Une estimation en dollars, si vous la connaissez.
posting-rules-hint = Laissez tout vide pour accepter tout organisme.
eligibility-org-kinds = Types d’organismes
eligibility-provinces = Provinces et territoires
eligibility-cause-areas = Causes
eligibility-charity = Organismes de bienfaisance enregistrés seulement
eligibility-sizes = Convient surtout aux organismes de taille (classe, n’exclut pas)
suggest-hint = Vous ne savez pas quelle catégorie choisir? Écrivez le titre et la description, puis demandez à Passerelle.
suggest-button = Suggérer une catégorie et des compétences
suggest-done = Suggéré d’après votre texte : { $labels }. Vérifiez avant d’enregistrer.
suggest-nothing = Passerelle n’a pas trouvé de catégorie probable dans le texte; choisissez-en une ci-dessous.
choose-one = Choisir…
choose-none = Non précisé
form-save = Enregistrer
form-cancel = Annuler
form-has-errors = Certains champs demandent votre attention; voyez les messages à côté.

## Fin du partenariat
complete-title = Terminer le partenariat
complete-lead = Dites ce que le partenariat a permis. Les partenaires et les bailleurs de fonds voient ces résultats.
complete-submit = Terminer le partenariat
outcome-title = Résultats :
outcome-hours = Heures données
outcome-hours-hint = Heures de travail ou de formation, par exemple 12,5.
outcome-value = Valeur donnée, en dollars canadiens
outcome-value-hint = Par exemple 2500.
outcome-delivered = Ce qui a été fourni
outcome-delivered-hint = Dans vos mots : ce que vous avez reçu et ce qui a changé.
outcome-indicators = Avant et après
outcome-indicators-hint = Jusqu’à dix mesures : choisissez-les dans la liste de Passerelle (des nombres, comparables d’un organisme à l’autre) ou nommez les vôtres (un nombre ou quelques mots). Indiquez le point de départ, la cible et où vous en êtes.
outcome-indicator-n = Mesure { $n }
outcome-indicator-name = Ce que vous mesurez
outcome-indicator-before = Avant (point de départ)
outcome-indicator-after = À la fin
outcome-note = Un mot pour votre partenaire (facultatif)
outcome-hours-value = { $hours } heures
outcome-value-value = { $value } $

## Administration
admin-title = Modération
admin-lead = Les signalements à traiter, les organismes à vérifier, et tous les organismes, quel que soit leur état. Chaque étape est consignée et les personnes concernées sont prévenues.
admin-none = Aucun organisme n’attend.
admin-since = Inscrit le { $date }
admin-verify = Vérifier
admin-reject = Refuser

## Messages après une action
flash-welcome = Bienvenue sur Passerelle! Votre organisme est créé; publiez votre premier besoin ou votre première offre.
flash-no-organization = Votre compte n’appartient à aucun organisme. Le propriétaire d’un organisme peut vous ajouter par courriel.
flash-signed-out = Vous êtes déconnecté.
flash-notifications-read = Toutes les notifications sont marquées comme lues.
flash-posting-saved = Enregistré.
flash-profile-saved = Le profil est enregistré.
flash-proposed = Votre proposition est envoyée. Vous verrez la réponse ici.
flash-accepted = Accepté. Vous voyez maintenant les coordonnées l’un de l’autre.
flash-declined = Refusé.
flash-withdrawn = Retiré.
flash-started = Marqué comme commencé.
flash-cancelled = Annulé.
flash-completed = Terminé. Merci d’avoir rendu compte des résultats.
flash-verified = L’organisme est vérifié.
flash-rejected = L’organisme est refusé.

## Erreurs
error-home = Retour à l’accueil
error-status = Erreur { $status }
error-detail-forbidden = Vous ne pouvez pas faire ceci ici. Connectez-vous avec un compte du bon organisme.
error-detail-not-found = Cette page n’existe pas, ou elle ne vous est pas visible.
error-detail-conflict = Ce n’est pas possible dans l’état actuel. Revenez en arrière, rechargez la page et réessayez.
error-detail-slow-down = Trop de tentatives. Attendez un peu et réessayez.
error-detail-invalid = Une partie de la demande n’a pas pu être lue.
error-detail-internal = Un problème est survenu de notre côté. Réessayez plus tard.
error-malformed-json = La demande n’a pas pu être lue
error-invalid-parameter = Une valeur de l’adresse n’est pas valide
error-unsupported-media-type = La demande n’a pas pu être lue
error-payload-too-large = Ce que vous avez envoyé est trop volumineux
error-validation-failed = Certains champs ne sont pas valides
error-unauthenticated = Veuillez vous connecter
error-invalid-credentials = Le courriel ou le mot de passe n’est pas le bon.
error-forbidden = Non permis
error-too-many-requests = Trop de tentatives; attendez quelques minutes et réessayez.
error-version-conflict = Quelqu’un d’autre a modifié ceci entre-temps. Rechargez la page et refaites votre modification.
error-email-taken = Ce courriel a déjà un compte
error-already-member = Déjà membre
error-partnership-exists = Ces deux annonces ont déjà un partenariat en cours.
error-too-many-pending-proposals = Cette annonce a déjà autant de propositions en attente de réponse qu’elle peut en recevoir. Réessayez dans quelques jours.
error-invalid-transition = Cette étape n’est pas possible dans l’état actuel du partenariat.
error-capacity-exhausted = Il ne reste plus de place pour ceci.
error-posting-not-open = L’annonce n’est pas ouverte.
error-posting-in-partnership = L’annonce fait partie d’un partenariat; fermez-la plutôt.
error-last-owner = L’organisme doit garder un propriétaire
error-member-not-found = Membre introuvable
error-organization-not-found = Organisme introuvable
error-posting-not-found = Besoin ou offre introuvable
error-saved-search-not-found = Recherche enregistrée introuvable
error-partnership-not-found = Partenariat introuvable
error-token-not-found = Introuvable
error-route-not-found = Page introuvable
error-method-not-allowed = Pas possible ici
error-request-timeout = Cela a pris trop de temps
error-not-ready = Passerelle démarre; réessayez dans un instant
error-internal = Un problème est survenu

## Messages des champs : les refus du domaine, par code, avec leurs paramètres
v-required = est obligatoire
v-unknown-field = n’est pas un champ de ce formulaire
v-not-null = ne doit pas être laissé vide
v-wrong-type = n’est pas du type attendu
v-unknown-value = n’est pas l’une des valeurs permises ({ $allowed })
v-not-an-object = n’a pas la forme attendue
v-not-a-date = doit être une date comme 2027-03-31
v-not-a-date-time = doit être une date et une heure comme 2027-03-31T17:00:00Z
v-not-a-whole-number = doit être un nombre entier
v-not-a-number = doit être un nombre
v-empty = ne doit pas être vide
v-too-short = doit compter au moins { $min } caractères
v-too-long = doit compter au plus { $max } caractères
v-single-line = doit tenir sur une seule ligne
v-hidden-characters = contient des caractères qui ne peuvent pas être affichés
v-invisible = doit contenir des caractères visibles
v-invalid-email = « { $value } » n’est pas une adresse courriel valide
v-weak-password = est trop courant ou trop facile à deviner; essayez une courte phrase
v-invalid-charity-number = « { $value } » n’est pas un numéro d’organisme de bienfaisance (format 123456789RR0001)
v-charity-check-digit = « { $value } » a un chiffre de contrôle de numéro d’entreprise invalide
v-invalid-website = « { $value } » n’est pas une adresse Web
v-invalid-phone = « { $value } » n’est pas un numéro de téléphone
v-unknown-province = choisissez une province ou un territoire dans la liste
v-unknown-language = choisissez le français ou l’anglais
v-no-language = choisissez au moins une langue
v-unknown-category = choisissez une catégorie dans la liste
v-unknown-skill = choisissez des compétences dans la liste
v-unknown-cause-area = choisissez des causes dans la liste
v-too-many = choisissez-en au plus { $max }
v-out-of-range = doit être entre { $min } et { $max }
v-year-out-of-range = doit tomber entre les années { $min } et { $max }
v-not-in-future = doit être dans le futur
v-before-start = ne doit pas précéder la date de début
v-province-required = est obligatoire, sauf si le besoin peut être comblé à distance
v-expired-open = est passée; choisissez une date ultérieure pour ouvrir l’annonce
v-used-up = est à { $quantity } après les partenariats servis; augmentez-le pour rouvrir l’annonce
v-offers-only = seules les offres ont des critères d’admissibilité
v-new-posting-status = une nouvelle annonce est un brouillon ou ouverte
v-expired-status = l’expiration est fixée par Passerelle; fermez plutôt l’annonce
v-duplicate-name = est déjà le nom d’une autre mesure
v-number-or-text = doit être un nombre ou quelques mots
v-number-too-large = doit être un nombre d’au plus { $digits } chiffres
v-no-organization = vous n’appartenez à aucun organisme
v-several-organizations = vous appartenez à plusieurs organismes; choisissez celui qui publie ceci
v-same-organization = appartient à votre propre organisme; un partenariat réunit deux organismes
v-no-such-posting = { $kind ->
    [need] il n’y a pas de besoin { $id }
   *[offer] il n’y a pas d’offre { $id }
}
v-not-eligible = ne s’adresse pas à ce besoin : { $rule ->
    [org_kind] l’offre est réservée à d’autres types d’organismes
    [province] l’offre ne dessert pas cette province ou ce territoire
    [cause_area] l’offre soutient d’autres causes
    [charity_number] l’offre est réservée aux organismes de bienfaisance enregistrés
    [distance] le travail se fait en personne, dans une autre province
   *[other] les critères de l’offre l’excluent
}
v-wrong-password = n’est pas votre mot de passe actuel
v-email-taken = a déjà un compte; connectez-vous plutôt
v-no-account = aucun compte n’a ce courriel; demandez-lui de s’inscrire d’abord
v-nothing-to-tag = écrivez d’abord un titre ou une description
v-ids-or-all = choisissez les notifications à marquer, ou toutes
v-invalid-link = ce lien ne fonctionne plus : il a déjà servi, il a expiré ou il est incomplet. Demandez-en un nouveau.

## Pourquoi l’appariement suggère une paire (les raisons d’un appariement, dans l’API aussi)
reason-same-category = Même catégorie : { $category }
reason-related-category = Catégorie apparentée : { $category }
reason-skills = Compétences en commun : { $skills }
reason-text = Descriptions semblables ({ $percent } % de ressemblance)
reason-same-language = Tous deux en { $language ->
    [fr] français
   *[en] anglais
}
reason-other-language = Besoin en { $need ->
    [fr] français
   *[en] anglais
}, offre en { $offer ->
    [fr] français
   *[en] anglais
}
reason-same-province = L’offre dessert la province : { $province } ; le besoin y est situé ({ $province })
reason-both-remote = Les deux peuvent travailler à distance
reason-national = L’offre dessert tout le Canada ; le besoin est situé : { $province }
reason-timing = Les dates se chevauchent
reason-amount = L’offre ({ $offered }) couvre les { $asked } demandés
reason-cause-areas = L’offre soutient la cause de l’organisme : { $causes }
reason-org-kind = L’offre s’adresse aux { $kinds }
reason-size = L’offre vise les organismes de { $size ->
    [small] petite
    [medium] moyenne
   *[large] grande
} taille
reason-stale = Pas mise à jour depuis { $days } jours
reason-unresponsive = L’organisme a laissé { $percent } % de ses propositions sans réponse
reason-crowded = Déjà { $pending } propositions en attente de réponse

## Pourquoi une paire est écartée (les critères d’une offre et l’état des annonces)
excluded-same-organization = Les deux annonces sont du même organisme
excluded-not-open = { $side ->
    [need] Le besoin n’est pas ouvert
   *[offer] L’offre n’est pas ouverte
} ({ $status })
excluded-expired = { $side ->
    [need] Le besoin a expiré
   *[offer] L’offre a expiré
}
excluded-no-capacity = { $side ->
    [need] Le besoin n’a plus de place
   *[offer] L’offre n’a plus de place
}
excluded-organization-rejected = Un administrateur a refusé l’un des organismes
excluded-org-kind = L’offre est réservée aux { $kinds } ; { $organization } fait partie des { $kind }
excluded-province = L’offre dessert seulement : { $provinces } ; le besoin est situé : { $province }
excluded-cause-area = L’offre soutient seulement : { $causes } ; ce n’est pas une cause de { $organization }
excluded-charity-number = L’offre est réservée aux organismes de bienfaisance enregistrés ; { $organization } n’a pas de numéro d’enregistrement
excluded-size = Le programme s’adresse à des organismes d’une autre taille que { $organization }
excluded-distance = Il faut se rencontrer en personne, mais l’offre est en { $offer_province } et le besoin en { $need_province }

## Notifications : ce que dit chaque sorte ($by_org a agi ; le besoin et l’offre sont nommés par leur titre)
nav-notifications = Notifications
nav-unread = { $count ->
    [0] aucune notification non lue
    [one] 1 notification non lue
   *[other] { $count } notifications non lues
}
notification-proposal-received = { $by_org } propose un partenariat : « { $need_title } » avec « { $offer_title } »
notification-proposal-accepted = { $by_org } a accepté votre proposition : « { $need_title } » avec « { $offer_title } »
notification-proposal-declined = { $by_org } a décliné votre proposition : « { $need_title } » avec « { $offer_title } »
notification-proposal-withdrawn = { $by_org } a retiré sa proposition : « { $need_title } » avec « { $offer_title } »
notification-proposal-expiring = Une proposition attend votre réponse d’ici le { $expires } : « { $need_title } » avec « { $offer_title } »
notification-proposal-expired = Une proposition a expiré sans réponse : « { $need_title } » avec « { $offer_title } »
notification-partnership-started = { $by_org } a démarré le partenariat : « { $need_title } » avec « { $offer_title } »
notification-partnership-completed = { $by_org } a terminé le partenariat : « { $need_title } » avec « { $offer_title } »
notification-partnership-cancelled = { $by_org } a annulé le partenariat : « { $need_title } » avec « { $offer_title } »
notification-message-received = Nouveau message de { $by_org } au sujet de « { $need_title } » avec « { $offer_title } »
notification-organization-verified = Un administrateur a vérifié { $org }
notification-organization-rejected = Un administrateur a refusé { $org }
notification-member-added = Vous avez été ajouté à { $org }
notification-match-suggestions = De nouveaux partenaires sont suggérés pour « { $posting_title } »
notification-saved-search-results = Nouveaux résultats pour votre recherche enregistrée « { $name } »
notification-note = Motif donné : { $note }
notification-excerpt = « { $excerpt } »
notifications-title = Notifications
notifications-empty = Rien pour l’instant. Vous serez averti ici quand un partenaire répond, écrit ou décide.
notifications-mark-all = Tout marquer comme lu
notifications-mark-one = Marquer comme lu
notifications-unread = Non lue
notifications-older = Notifications plus anciennes
notifications-newer = Notifications plus récentes
topic-proposals = Propositions reçues, retirées ou sur le point d’expirer
topic-answers = Réponses à vos propositions
topic-partnerships = Partenariats démarrés, terminés ou annulés, et leurs suivis
topic-messages = Messages des partenaires
topic-organization = Vos organismes : vérification et membres
topic-matches = Jumelages suggérés pour vos besoins et offres
topic-saved-searches = Nouveaux résultats de vos recherches enregistrées
delivery-immediate = Un courriel aussitôt
delivery-daily = Un courriel par jour
delivery-off = Aucun courriel (notifications seulement)

## Courriels
email-greeting = Bonjour { $name },
email-see = Voir sur Passerelle
email-see-link = Voir sur Passerelle : { $link }
email-why = Vous recevez ce courriel parce que { $email } a un compte sur Passerelle.
email-unsubscribe = Ne plus recevoir de courriels sur ce sujet : { $topic }
email-preferences = Choisir les courriels que vous recevez
email-digest-subject = { $count ->
    [one] 1 nouvelle notification aujourd’hui
   *[other] { $count } nouvelles notifications aujourd’hui
}
email-digest-intro = { $count ->
    [one] Voici ce qui s’est passé aujourd’hui.
   *[other] Voici les { $count } choses qui se sont passées aujourd’hui.
}
account-title = Votre compte
account-language = Langue de vos courriels et notifications
account-emails = Courriels
account-emails-hint = Chaque notification s’affiche sous la cloche ; choisissez celles qui arrivent aussi par courriel.
flash-account-saved = Votre compte est enregistré.
unsubscribe-title = Ne plus recevoir de courriels
unsubscribe-ask = Ne plus recevoir de courriels sur ce sujet : { $topic } ? Vous les verrez encore sous la cloche en vous connectant.
unsubscribe-button = Ne plus recevoir ces courriels
unsubscribe-done = C’est fait : vous ne recevrez plus de courriels sur ce sujet : { $topic }.
unsubscribe-invalid = Ce lien de désabonnement n’est pas valide. Connectez-vous et choisissez vos courriels dans votre compte.
nav-account = Compte
partnership-back = ← Mon organisme
messages-title = Conversation
messages-proposal = La proposition
messages-write = Votre message
messages-write-hint = Seuls les membres de { $organization } et de votre organisme le lisent.
messages-send = Envoyer
message-former-member = Un ancien membre
flash-message-sent = Votre message est envoyé ; l’autre organisme en est averti.
messages-open = Ouvrir le partenariat et sa conversation
org-answers-within = { $count ->
    [one] répond habituellement en moins d’un jour
   *[other] répond habituellement en { $count } jours ou moins
}
notification-invitation = Vous êtes invité à rejoindre { $org } ; le courriel envoyé contient le lien
email-greeting-anonymous = Bonjour,
email-why-asked = Vous recevez ce courriel parce que quelqu’un l’a demandé pour { $email } sur Passerelle. Si ce n’était pas vous, ignorez-le : rien ne se passe sans le lien.
email-reset-subject = Réinitialiser votre mot de passe
email-reset-text = Pour choisir un nouveau mot de passe, ouvrez ce lien.
email-reset-expiry = Le lien fonctionne une seule fois, pendant une heure. Vos autres connexions prennent fin quand vous changez le mot de passe.
email-confirm-subject = Confirmez votre adresse courriel
email-confirm-text = Confirmez que { $email } est bien votre adresse en ouvrant ce lien.
email-confirm-expiry = Le lien fonctionne une seule fois, pendant sept jours.
email-invitation-subject = Rejoindre { $org } sur Passerelle
email-invitation-text = Vous êtes invité à rejoindre { $org } sur Passerelle en tant que { $role ->
    [owner] propriétaire
   *[other] membre
}. Ouvrez le lien pour accepter, avec votre compte ou en en créant un.
email-invitation-expiry = Le lien fonctionne une seule fois, pendant quatorze jours.
role-owner = Propriétaire
role-member = Membre
account-email = Adresse courriel
account-email-hint = Une nouvelle adresse reçoit un lien pour la confirmer ; elle remplace celle-ci une fois le lien ouvert.
flash-email-change-sent = Enregistré. Ouvrez le lien envoyé à votre nouvelle adresse pour la confirmer.
reset-title = Mot de passe oublié?
reset-lead = Indiquez l’adresse de votre compte ; nous y envoyons un lien pour choisir un nouveau mot de passe.
reset-send = Envoyer le lien
reset-sent = Si un compte a cette adresse, un lien pour choisir un nouveau mot de passe est en route. Il fonctionne une seule fois, pendant une heure.
reset-new-title = Choisir un nouveau mot de passe
reset-new-password = Nouveau mot de passe
reset-save = Enregistrer le mot de passe
reset-again = Demander un nouveau lien
confirm-title = Confirmez votre adresse courriel
confirm-button = Confirmer mon adresse
invitation-title = Rejoindre { $org }
invitation-lead = Vous êtes invité à rejoindre { $org } sur Passerelle en tant que { $role ->
    [owner] propriétaire
   *[other] membre
}.
invitation-accept = Rejoindre l’organisme
invitation-signin = Se connecter pour accepter
invitation-signup = ou créer un compte pour accepter
link-invalid-title = Ce lien ne fonctionne plus
flash-password-reset = Votre mot de passe est changé. Connectez-vous avec lui ; vos autres sessions ont pris fin.
flash-email-confirmed = Votre adresse courriel est confirmée.
flash-invitation-accepted = Bienvenue : vous êtes maintenant membre de cet organisme.
signin-forgot = Mot de passe oublié?
account-data = Vos données
account-data-hint = Téléchargez tout ce que Passerelle conserve à votre sujet, ou supprimez votre compte. Les partenariats et les messages dont vos partenaires ont encore besoin restent, sans votre nom.
account-export = Télécharger mes données (JSON)
account-delete = Supprimer mon compte
account-delete-hint = C’est irréversible. Si vous êtes le dernier propriétaire d’un organisme qui a d’autres membres, nommez d’abord l’un d’eux propriétaire.
account-delete-password = Votre mot de passe, pour confirmer
account-delete-button = Supprimer mon compte
flash-account-deleted = Votre compte est supprimé.
members-title = Membres de { $org }
members-link = Membres
members-make-owner = Nommer propriétaire
members-make-member = Rendre membre
members-remove = Retirer
members-step-down = Redevenir membre
members-leave = Quitter l’organisme
members-invite = Inviter quelqu’un
members-invite-hint = La personne reçoit par courriel un lien valable quatorze jours, avec son compte ou après en avoir créé un.
members-role = Rôle
members-invite-send = Envoyer l’invitation
flash-invitation-sent = L’invitation est en route.
flash-members-saved = Enregistré.
flash-left-organization = Vous avez quitté l’organisme.
search-save = Enregistrer cette recherche : m’avertir des nouveaux résultats
saved-searches = Recherches enregistrées
saved-searches-hint = Une fois par jour, leurs nouveaux résultats vous sont signalés (dans le résumé quotidien, sauf choix contraire ci-dessus).
saved-searches-none = Aucune recherche enregistrée : cherchez, puis « Enregistrer cette recherche ».
saved-searches-delete = Oublier
flash-search-saved = La recherche est enregistrée ; ses nouveaux résultats vous seront signalés une fois par jour.
flash-search-forgotten = La recherche enregistrée est oubliée.

## Mettre fin à une proposition ou à un partenariat : confirmation et motif
partnership-back-to = ← Retour au partenariat
partnership-reason = Motif donné : { $reason }
quoted = « { $words } »
reason-pick = Le motif principal (facultatif)
reason-words = Dans vos mots (facultatif)
reason-words-hint = L’autre organisme lira ce texte. Soyez aimable et précis : cela l’aidera la prochaine fois.
confirm-keep = Revenir en arrière
confirm-decline-title = Refuser cette proposition?
confirm-decline-lead = { $organization } sera informé de votre refus, avec le motif que vous donnez ici. La proposition ne pourra plus être acceptée ensuite.
confirm-decline-submit = Refuser la proposition
confirm-withdraw-title = Retirer votre proposition?
confirm-withdraw-lead = { $organization } sera informé que vous l’avez retirée, avec le motif que vous donnez ici.
confirm-withdraw-submit = Retirer la proposition
confirm-cancel-title = Annuler ce partenariat?
confirm-cancel-lead = { $organization } sera informé que le partenariat est annulé, avec le motif que vous donnez ici. Cette action est définitive.
confirm-cancel-submit = Annuler le partenariat
reason-not-a-fit = Ce n’est pas le bon jumelage pour nous
reason-no-capacity = Nous n’avons pas la capacité en ce moment
reason-found-another-partner = Nous avons trouvé un autre partenaire
reason-needs-changed = Nos besoins ou nos plans ont changé
reason-no-response = L’autre organisme n’a pas répondu
reason-other = Un autre motif

## Les coordonnées attendent la vérification
contact-withheld-you-unverified = Les coordonnées sont communiquées une fois votre organisme vérifié par un administrateur. D’ici là, écrivez à { $organization } dans la conversation.
contact-withheld-partner-unverified = Les coordonnées sont communiquées une fois { $organization } vérifié par un administrateur. D’ici là, écrivez-lui dans la conversation.
contact-withheld-both-unverified = Les coordonnées sont communiquées une fois les deux organismes vérifiés par un administrateur. D’ici là, écrivez à { $organization } dans la conversation.

## Les pages d’un vrai service
info-about = À propos
info-help = Aide
info-privacy = Confidentialité
info-terms = Conditions d’utilisation
admin-sections = Sections
admin-reports = Signalements
admin-pending = En attente de vérification
admin-search = Tous les organismes
admin-no-reports = Aucun signalement n’attend.
admin-reported-by = Signalé par { $who }
admin-dismiss-note = Note pour l’auteur du signalement (facultatif)
admin-dismiss = Classer sans suite
admin-handled = Signalements traités récemment
admin-state = État
admin-any-state = Tous les états
admin-found-none = Aucun organisme ne correspond.
admin-hide = Masquer
admin-restore = Afficher de nouveau
admin-reopen = Remettre en attente
admin-back = ← Modération
confirm-reject-title = Refuser cet organisme ?
confirm-reject-lead = { $organization } disparaîtra de la recherche avec ses annonces, et ses membres sauront pourquoi. Vous pourrez revenir sur cette décision depuis la page de modération.
confirm-hide-title = Masquer cette annonce ?
confirm-hide-lead = « { $title } » disparaîtra de la recherche et de sa page pour tous, sauf pour son organisme, qui verra le motif que vous donnez ici.
confirm-moderation-hint = Les membres de l’organisme liront ce texte.
confirm-close-need-title = Fermer ce besoin ?
confirm-close-offer-title = Fermer cette offre ?
confirm-close-lead = « { $title } » quittera la recherche et ne recevra plus de proposition. Les organismes dont une proposition attend seront prévenus, avec le motif que vous donnez ici.
confirm-close-hint = Les organismes dont une proposition attend une réponse liront ce texte.
posting-back = ← Retour à l’annonce
posting-hidden-notice = Un administrateur a masqué cette annonce : seul votre organisme la voit. Motif : { $reason }
posting-closed-notice = Fermée par son organisme : « { $note } »
flash-posting-closed = L’annonce est fermée.
flash-reopened = L’organisme est de nouveau en attente de vérification.
flash-posting-hidden = L’annonce est masquée; son organisme sait pourquoi.
flash-posting-restored = L’annonce est de nouveau visible.
flash-report-resolved = Le signalement est traité; son auteur est prévenu.
flash-reported = Merci. Un administrateur examinera votre signalement.
flash-already-reported = Vous l’avez déjà signalé; un administrateur l’examinera.
report-posting = Signaler cette annonce
report-organization = Signaler cet organisme
report-reason = Quel est le problème ?
report-reason-hint = Seuls les administrateurs lisent ce texte. Par exemple : trompeur, pas un vrai organisme, demande de l’argent.
report-submit = Envoyer le signalement
report-target-posting = Annonce
report-gone = (supprimé)
report-status-open = En attente
report-status-dismissed = Classé sans suite
report-status-actioned = Traité
moderation-reason-spam = Pourriel ou publicité
moderation-reason-misleading = Trompeur ou faux
moderation-reason-not-eligible = Non admissible à Passerelle
moderation-reason-could-not-verify = Nous n’avons pas pu confirmer l’organisme
moderation-reason-duplicate = Un doublon
moderation-reason-inappropriate = Contenu inapproprié
moderation-reason-other = Un autre motif
topic-moderation = Signalements et modération
topic-programs = Programmes et candidatures
notification-report-received = Nouveau signalement concernant « { $name } »
notification-report-resolved = { $status ->
    [dismissed] Un administrateur a examiné votre signalement concernant « { $name } » et n’a rien trouvé à changer
   *[other] Un administrateur a donné suite à votre signalement concernant « { $name } »
}
notification-posting-hidden = Un administrateur a masqué « { $posting_title } »
notification-posting-restored = Un administrateur a rendu « { $posting_title } » de nouveau visible
notification-posting-closed = { $by_org } a fermé « { $posting_title } », dont dépend votre proposition
notification-verification-reopened = Un administrateur a remis { $org } en attente de vérification
error-already-reported = Vous l’avez déjà signalé
error-report-not-found = Signalement introuvable
v-not-found = ne correspond à rien que vous puissiez voir
posting-unit = Ce que le nombre compte
unit-items = Articles (ordinateurs, appareils)
unit-seats = Places (dans une formation ou un cours)
unit-people = Personnes (employés, bénévoles, experts)
unit-hours = Heures de travail
unit-licences = Licences de logiciel
quantity-items = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
quantity-seats = { $count ->
    [one] { $count } place
   *[other] { $count } places
}
quantity-people = { $count ->
    [one] { $count } personne
   *[other] { $count } personnes
}
quantity-hours = { $count ->
    [one] { $count } heure
   *[other] { $count } heures
}
quantity-licences = { $count ->
    [one] { $count } licence
   *[other] { $count } licences
}
posting-filled-by-one-need = Un seul partenaire peut-il combler tout le besoin?
posting-filled-by-one-offer = Est-ce pour un seul organisme?
posting-fills-whole-need = Un seul partenariat comble tout le besoin
posting-fills-shared-need = Plusieurs partenaires peuvent en combler chacun une partie
posting-fills-whole-offer = Pour un seul organisme, qui reçoit le tout
posting-fills-shared-offer = Partagée entre plusieurs organismes
propose-units = Combien le partenariat en couvre
propose-units-hint = Le besoin demande { $need }; l’offre en a { $offer }.
interest-lead-offer = Aucun de vos besoins ne correspond? Dites en quelques mots ce que cela vous permettrait de faire : nous publions le besoin pour votre organisme et l’envoyons avec votre proposition.
interest-lead-need = Aucune de vos offres ne correspond? Dites en quelques mots ce que vous pouvez donner : nous publions l’offre pour votre organisme et l’envoyons avec votre proposition.
interest-description-offer = Qu’est-ce que cela permettrait à votre organisme de faire?
interest-description-need = Que peut donner votre organisme?
interest-description-hint = Quelques phrases; l’autre organisme les lira en premier.
interest-quantity = Combien
interest-quantity-hint = Disponible : { $available }. Laissez vide pour 1.
interest-more = Titre de l’annonce que nous publions pour vous
interest-title = Titre
interest-title-hint = Par défaut, le même titre que cette annonce.
flash-interest-sent = Votre proposition est envoyée, avec l’annonce publiée pour votre organisme.
partnership-covers = Couvre : { $units }
error-saved-searches-full = Vous gardez déjà 50 recherches enregistrées, le maximum; supprimez-en une depuis la page de votre compte.
outcome-report = Ce que le partenariat a changé
outcome-completed-on = Terminé le
publicity-listed = Ce partenariat et son résultat figurent sur les pages publiques des deux organismes et dans les données ouvertes de Passerelle (360Giving).
publicity-waiting = Vous avez accepté d’afficher ce partenariat sur les pages publiques; il y figurera dès que { $organization } l’acceptera aussi.
publicity-asked = { $organization } souhaite afficher ce partenariat et son résultat sur les pages publiques des deux organismes et dans les données ouvertes de Passerelle (360Giving).
publicity-not-listed = Ce partenariat ne figure pas sur les pages publiques.
publicity-agree = L’afficher sur nos pages publiques
publicity-stop = Ne plus l’afficher
complete-public = Afficher ce partenariat et son résultat sur les pages publiques des deux organismes et dans les données ouvertes de Passerelle (360Giving), dès que { $organization } l’acceptera aussi
flash-publicity-saved = C’est enregistré.
org-completed = Partenariats terminés
profile-complete = Votre profil est rempli à { $percent } %.
profile-missing = Il manque encore : { $fields }.
profile-complete-edit = Compléter le profil
org-completed-on = terminé le { $date }
org-completed-measure = { $name } : { $before } → { $after }
search-more = Échéance et valeur
search-closing-soon = Se termine d’ici deux semaines
search-eligible = Seulement les offres auxquelles mon organisme est admissible
search-min-value = Valeur d’au moins ($)
search-max-value = Valeur d’au plus ($)
error-call-closed = L’appel de candidatures n’est pas ouvert
error-application-decided = La candidature est tranchée et ne peut plus changer
error-allocation-confirmed = L’attribution est déjà confirmée
error-program-not-found = Programme introuvable
error-application-not-found = Candidature introuvable
error-allocation-run-not-found = Attribution introuvable
v-closes-before-opens = doit suivre l’ouverture
v-group-code = doit compter de 1 à 40 lettres minuscules, chiffres ou _
v-not-a-partner = n’est pas partenaire du programme
v-answer-each = répondez à chacune des { $count } questions
v-pins-break-limits = les unités fixées dépassent une limite : { $reason }
notification-program-invitation = Vous êtes invité à poser votre candidature à « { $name } »
notification-application-received = { $org } a posé sa candidature à « { $name } »
notification-application-decided = { $status ->
    [selected] { $org } est retenu dans « { $name } » : ses propositions attendent votre réponse
    [waitlisted] { $org } est sur la liste d’attente de « { $name } »
   *[other] { $org } n’est pas retenu dans « { $name } » cette fois
}
nav-programs = Programmes
programs-title = Programmes
programs-lead = Des partenaires de plusieurs secteurs soutiennent ensemble une cohorte d’organismes : équipement, formation, expertise et financement, attribués équitablement et expliqués.
programs-none = Aucun programme pour l’instant.
call-state-upcoming = Appel pas encore ouvert
call-state-open = Appel ouvert
call-state-closed = Appel fermé
program-window = candidatures du { $opens } au { $closes }
program-component-count = { $count ->
    [one] { $count } volet
   *[other] { $count } volets
}
program-led-by = Dirigé par
program-your-application = Candidature de { $org }
program-partners = Partenaires
program-components = Ce que le programme offre
program-component = Volet
program-capacity = Au total
program-given = Attribué
program-offered = Proposé
program-remaining = Restant
program-per-org = au plus { $count } par organisme
program-milestones = Étapes
program-priorities = Groupes prioritaires
program-questions = Questions posées à chaque candidature
program-cohort = Cohorte
program-no-members = Aucun organisme n’est encore retenu.
program-applications = { $count ->
    [one] { $count } candidature
   *[other] { $count } candidatures
}
partner-role-funds = Financement
partner-role-equipment = Équipement
partner-role-training = Formation
partner-role-expertise = Expertise
partner-role-hosting = Hébergement et connectivité
application-status-draft = Brouillon
application-status-submitted = Envoyée
application-status-withdrawn = Retirée
application-status-selected = Retenue
application-status-waitlisted = En liste d’attente
application-status-not-selected = Non retenue
decision-given = { $given } sur { $asked } demandés (adéquation { $fit }).
shortfall-excluded = L’équipe du programme a écarté cette demande.
shortfall-not-a-fit = Elle ne correspond pas assez à ce volet.
shortfall-per-org-max = C’est le maximum qu’un organisme reçoit.
shortfall-own-maximum = C’est le maximum que vous avez demandé au total.
shortfall-component-full = Toutes les unités sont allées à des candidatures de plus grande valeur; vous êtes au rang { $position } de la liste d’attente.
shortfall-partner-cap = Le partenaire ne donne pas davantage sur l’ensemble de ses volets; vous êtes au rang { $position } de la liste d’attente.
shortfall-fairness = Une unité de plus ajouterait moins que le coût de donner davantage à un seul organisme.
program-workspace = Espace de l’équipe : candidatures, attribution, invitations
program-apply = Déposer une candidature
program-change-application = Modifier la candidature
program-withdraw = Retirer
apply-title = Candidature à « { $name } »
apply-as = Au nom de { $org }
apply-status = votre candidature est : { $status }
apply-as-other = Déposer au nom d’un autre de vos organismes
apply-switch = Changer
apply-components = Ce que vous demandez
apply-components-hint = Indiquez le nombre d’unités dont vous auriez l’usage pour chaque volet voulu ; laissez les autres vides.
apply-units = Unités
apply-units-hint = Au plus { $most }.
apply-need = Le besoin auquel il répond
apply-need-none = Aucun en particulier
apply-groups = Groupes prioritaires dont vous faites partie
apply-max-units = Le maximum d’unités que vous prenez en tout (facultatif)
apply-max-units-hint = Laissez vide si toute combinaison vous convient.
apply-submit = Envoyer la candidature
apply-save-draft = Enregistrer le brouillon
flash-application-saved = Votre brouillon est enregistré ; envoyez-le avant la fin de l’appel.
flash-application-submitted = Votre candidature est envoyée. L’équipe du programme vous fera connaître sa décision.
flash-application-withdrawn = Votre candidature est retirée.
flash-allocation-run = L’attribution est calculée ; chaque demande indique ce qu’elle reçoit et pourquoi.
flash-allocation-confirmed = L’attribution est confirmée : les partenariats sont proposés et chaque candidat est prévenu.
flash-invited = L’organisme est invité ; ses membres sont prévenus.
workspace-title = Espace de travail de « { $name } »
workspace-allocation = Attribution
workspace-confirmed = Confirmée le { $at } : chaque sélection est un partenariat du parcours habituel.
workspace-latest-run = Dernier calcul le { $at }, valeur totale { $value }.
workspace-no-run = Aucune attribution n’est encore calculée. Lancez-la, lisez le résultat de chaque demande, fixez ou écartez ce qui doit l’être, et relancez-la avant de confirmer.
workspace-no-applications = Aucune candidature n’est encore envoyée.
workspace-organization = Organisme
workspace-asked = Demandé
workspace-outcome = Résultat du dernier calcul
workspace-fix = Avant le prochain calcul
workspace-fix-for = Avant le prochain calcul, pour { $org } et { $component }
workspace-fix-solver = Laisser l’attribution décider
workspace-fix-pin = Donner exactement
workspace-fix-exclude = Écarter
workspace-pin-units = Unités à donner
workspace-run = Calculer l’attribution
workspace-confirm = Confirmer cette attribution
workspace-confirm-hint = Confirmer propose un partenariat pour chaque sélection, au nom du partenaire du volet, et fait connaître sa décision à chaque candidat. C’est définitif.
workspace-invite = Organismes à inviter
workspace-invite-hint = Les organismes admissibles qui n’ont pas déposé de candidature et dont les besoins correspondent le mieux à un volet.
workspace-no-candidates = Aucun organisme admissible dont un besoin correspond n’attend d’invitation.
workspace-their-need = Leur besoin
workspace-fit = Adéquation
workspace-invitation = Invitation
workspace-invite-button = Inviter
workspace-invited-on = Invité le { $on }
error-already-invited = Déjà invité
v-already-applied = a déjà déposé une candidature au programme
cohort-progress = partenariats : { $proposed } proposés, { $under_way } en cours, { $completed } terminés
cohort-given = Les partenariats terminés déclarent { $hours } heures et { $value } donnés.
cohort-indicators = Ce qui a changé, additionné sur les partenariats terminés qui l’ont mesuré
cohort-indicator = Indicateur
cohort-reporting = Partenariats qui le déclarent
cohort-before = Avant
cohort-after = Après
program-calendar = Ajouter les étapes à votre agenda (iCalendar)
calendar-opens = Ouverture de l’appel : { $name }
calendar-closes = Clôture de l’appel : { $name }
program-form-title = Créer un programme
program-form-lead = Un programme réunit des partenaires de plusieurs secteurs au service d’une cohorte d’organismes : chaque partenaire offre un ou plusieurs volets, les organismes déposent leur candidature pendant l’appel et votre équipe attribue les volets équitablement.
program-form-program = Le programme et son appel
program-form-lead-org = Dirigé par
program-form-name = Nom du programme
program-form-description = Description
program-form-description-hint = Ce que le programme offre, à qui et pourquoi ; les candidats le lisent en premier.
program-form-opens = Ouverture de l’appel
program-form-closes = Clôture de l’appel
program-form-who = Qui peut déposer une candidature
program-form-who-hint = Laissez une liste vide pour accepter tout le monde.
program-form-sizes = Tailles d’organisme
program-form-partners-hint = Les organismes qui offrent les volets avec vous, chacun avec son rôle ; laissez vides les lignes inutiles.
program-form-partner-n = Partenaire { $n }
program-form-no-partner = Aucun partenaire sur cette ligne
program-form-organization = Organisme
program-form-role = Rôle
program-form-cap = Maximum d’unités au total (facultatif)
program-form-cap-hint = Le partenaire ne donne pas davantage sur l’ensemble de ses volets.
program-form-components-hint = Un type de soutien chacun, offert par un partenaire (ou par votre organisme) ; laissez vides les lignes inutiles.
program-form-component-n = Volet { $n }
program-form-component-title = De quoi il s’agit
program-form-given-by = Offert par
program-form-unit = Compté en
program-form-per-org = Maximum pour un organisme (facultatif)
program-form-value = Valeur d’une unité en dollars (facultatif)
program-form-component-description = Précisions (facultatif)
program-form-groups-hint = Les organismes d’un groupe prioritaire comptent davantage dans l’attribution : le poids s’ajoute à la valeur de chaque unité qu’ils reçoivent.
program-form-group-n = Groupe prioritaire { $n }
program-form-group-name = Nom, tel que les candidats le lisent
program-form-group-who = Qui en fait partie
program-form-group-declared = Les candidats déclarent en faire partie
program-form-group-size = Taille : { $size }
program-form-group-language = Langue de travail : { $language }
program-form-group-province = Province ou territoire : { $province }
program-form-group-weight = Poids, de 0 à 1
program-form-group-weight-hint = 0,1 est une légère préférence, 0,5 une forte.
program-form-questions = Questions posées à chaque candidature
program-form-questions-hint = Une question par ligne.
program-form-milestone-n = Étape { $n }
program-form-milestone-title = Ce qui se passe
program-form-milestone-on = Le
program-form-submit = Créer le programme
programs-new = Créer un programme
flash-program-created = Le programme est créé. Sa page est publique ; les organismes déposent leur candidature à l’ouverture de l’appel.
program-each = { $value } chacun
shortfall-bundle = Vous avez demandé tout ou rien, et tout ne pouvait pas être donné.
apply-all-or-nothing = Tout ou rien : il nous faut tous les volets demandés ensemble, ou aucun.
program-form-group-min-share = Part minimale de l’ensemble des unités, en % (facultatif)
program-form-group-min-share-hint = Par exemple 30 : au moins 30 % des unités vont aux membres de ce groupe ; l’attribution indique ce que cela coûte.
workspace-constraints-cost = Sans les demandes tout ou rien ni les parts minimales, la valeur serait de { $without } : elles coûtent { $loss } %.
program-group-min-share = { $name } : au moins { $share } % de l’ensemble des unités
program-form-translated-title = Nom dans l’autre langue, anglais ou français (facultatif)
program-form-translation-hint = Les lecteurs de l’autre langue voient ce nom et cette description à la place.
program-form-translated-description = Description dans l’autre langue (facultatif)
program-edit = Modifier le programme
program-edit-title = Modifier « { $name } »
program-edit-submit = Enregistrer les modifications
flash-program-saved = Le programme est enregistré.
nav-gaps = Où l’aide manque
gaps-title = Où l’aide manque
gaps-lead = Les besoins que les organismes ont publiés et qui restent ouverts, par province ou territoire et type d’aide, face aux offres qui pourraient y répondre. Pour les bailleurs de fonds qui cherchent où un investissement répondrait au plus de besoins.
gaps-cause-area = Cause des organismes dans le besoin
gaps-size = Taille des organismes dans le besoin
gaps-any = Toutes
gaps-filter = Afficher
gaps-map-title = Besoins toujours sans réponse après 60 jours, par province et territoire
gaps-map-caption = Chaque case est une province ou un territoire avec son nombre de besoins sans réponse après 60 jours ; plus c’est foncé, plus il y en a. Le tableau ci-dessous donne tous les chiffres.
gaps-tile = { $province } : { $unmet } besoins sans réponse après 60 jours, { $open } ouverts
gaps-summary = Besoins sans réponse après 60 jours : { $list }.
gaps-summary-none = Aucun besoin n’attend depuis plus de 60 jours.
gaps-csv = Télécharger le tableau (CSV)
gaps-empty = Aucun besoin ouvert ne correspond à ces filtres.
gaps-table = Où un investissement répondrait au plus de besoins, en premier
gaps-where = Où, et quel type d’aide
gaps-unmet = Sans réponse après 60 jours
gaps-open = Besoins ouverts
gaps-offers = Offres qui peuvent y répondre
gaps-per-offer = Besoins par offre
gaps-no-offer = aucune offre
gaps-last-year = Nouveaux besoins, 12 derniers mois

## Digital check-up
v-not-suggested = n’a pas été suggéré par ce bilan
v-already-published = a déjà été publié, comme besoin { $need_id }
v-duplicate = est donné deux fois
error-checkup-not-found = Bilan introuvable
checkup-title = Bilan numérique
checkup-for = Pour { $org }
checkup-intro = { $count } questions sur la situation de votre organisme face aux technologies, environ huit minutes. Choisissez la réponse la plus proche de votre situation aujourd’hui ; il n’y a pas de mauvaise réponse. Vous obtenez un profil, et des besoins que vous pouvez publier en une étape.
checkup-submit = Voir mes résultats
checkup-licence = Le bilan numérique de Passerelle peut être réutilisé librement selon la licence Creative Commons Attribution 4.0 (CC BY 4.0).
checkup-result-title = Votre bilan numérique
checkup-result-lead = { $org }, { $date }
checkup-profile = Votre profil
checkup-profile-first = Chaque volet de 0 (premiers pas) à 100 (chef de file). Refaites le bilan plus tard pour voir ce qui a changé.
checkup-profile-change = Chaque volet de 0 (premiers pas) à 100 (chef de file), comparé à votre bilan du { $date }.
checkup-chart-title = Profil du bilan numérique, de 0 à 100 par volet
checkup-chart-row = { $dimension } { $score }
checkup-chart-row-change = { $dimension } { $score } (auparavant { $earlier })
checkup-legend-now = { $date }
checkup-legend-earlier = { $date } (précédent)
checkup-table = Note par volet
checkup-dimension = Volet
checkup-score = Note
checkup-earlier = Avant
checkup-change = Écart
checkup-suggestions = Besoins suggérés
checkup-no-suggestions = Vos réponses ne suggèrent aucun besoin. Bravo !
checkup-suggestions-hint = Vos réponses indiquent de l’aide que des partenaires de Passerelle offrent. Cochez celles que vous voulez ; elles sont publiées comme besoins ouverts de votre organisme, que vous pourrez modifier ou fermer ensuite.
checkup-suggestions-legend = Besoins à publier
checkup-published-heading = Déjà publiés à partir de vos bilans
checkup-because = En raison de votre réponse à : { $questions }
checkup-publish = Publier les besoins cochés
checkup-history = Vos bilans
checkup-this-one = celui-ci
checkup-again = Refaire le bilan
checkup-last = Votre dernier bilan : { $date }.
checkup-see = Voir les résultats
checkup-invite = Où en est votre organisme avec les technologies ? Vingt questions, environ huit minutes, et vous obtenez des besoins prêts à publier.
checkup-take = Faire le bilan
flash-checkup-taken = Votre bilan est enregistré.
flash-checkup-published = Vos besoins sont publiés.
flash-checkup-published-one = Votre besoin est publié.
gaps-open-data = Données ouvertes
gaps-open-needs = Besoins ouverts (CSV)
gaps-open-offers = Offres ouvertes (CSV)
gaps-open-grants = Partenariats terminés, format 360Giving (JSON)
gaps-open-data-hint = Libres de réutilisation : chaque besoin et chaque offre ouverts avec leurs codes de catégorie, et les partenariats que les deux organismes ont accepté de publier.
results-title = Résultats de { $org }
results-lead = Partenariats, ce qu’ils ont changé et le bilan numérique, au { $date }.
results-print-hint = Cette page s’imprime comme un rapport pour vos bailleurs de fonds (commande Imprimer de votre navigateur).
results-link = Résultats (à imprimer)
results-exchange = Aide donnée et reçue
results-exchange-caption = Partenariats selon le côté, avec les heures et la valeur déclarées dans leurs rapports de résultats
results-side = Côté
results-received = Reçue (vos besoins)
results-given = Donnée (vos offres)
results-completed = Terminés
results-under-way = En cours
results-started = Commencés
results-hours = Heures
results-value = Valeur
results-timeline = Partenariats dans le temps
results-timeline-title = Partenariats commencés et terminés par trimestre
results-timeline-row = { $quarter } : { $completed } terminés, { $started } commencés
results-timeline-caption = Partenariats par trimestre
results-quarter = Trimestre
results-indicators = Ce que les partenariats ont changé
results-indicators-caption = Indicateurs des rapports de résultats, du point de départ aux suivis
results-no-indicators = Aucun partenariat terminé n’a encore déclaré d’indicateur.
results-indicator = Indicateur
results-before = Avant
results-after = À la fin
results-partner = Partenaire
results-checkup-change = Votre premier bilan ({ $first }) comparé au plus récent ({ $latest }).
sector-title = Passerelle en chiffres
sector-lead = Ce que les partenariats conclus sur Passerelle ont donné au cours des douze derniers mois, d’après les rapports que les organismes ont remplis en les terminant. Données agrégées seulement; mises à jour toutes les quelques minutes.
sector-completed = Partenariats terminés (12 mois)
sector-hours = Heures données
sector-value = Valeur donnée
sector-answer = Délai médian de réponse à une proposition
sector-days = { $days } jours
sector-met = Besoins comblés
sector-share = { $percent } % des { $needs } besoins publiés
sector-none = Pas encore assez de données
sector-over-time = Les partenariats dans le temps
sector-chart-title = Partenariats terminés par trimestre
sector-quarters-caption = Partenariats terminés par trimestre, avec les heures et la valeur déclarées
sector-where = Où, et quel genre d’aide
sector-where-caption = Partenariats terminés en douze mois selon la province ou le territoire de l’organisme aidé et le genre d’aide
sector-no-cells = Aucun partenariat n’a été terminé au cours des douze derniers mois.
sector-see-gaps = Où l’aide manque encore
sector-json = Ces chiffres en JSON
gaps-see-sector = Passerelle en chiffres

## Outcomes followed over time
v-unknown-indicator = indicateur inconnu « { $value } »
v-from-list = laissez-le vide : la liste d’indicateurs le donne
v-missing-indicators = doit inclure les indicateurs que le programme demande à sa cohorte ({ $codes })
error-follow-up-not-found = Suivi introuvable
error-follow-up-not-open = Ce suivi n’est pas encore dû
indicator-unit-people = personnes
indicator-unit-organizations = organismes
indicator-unit-percent = %
indicator-unit-hours = heures
indicator-unit-cad = $
indicator-unit-devices = appareils
indicator-unit-count = nombre
outcome-indicator-code = Dans la liste de Passerelle
outcome-indicator-own = Ma propre mesure (nommez-la ci-dessous)
outcome-indicator-name-hint = Seulement pour votre propre mesure, par exemple « Repas livrés ».
outcome-indicator-unit = Unité
outcome-indicator-unit-hint = Seulement pour votre propre mesure, par exemple « repas ».
outcome-indicator-target = Cible
outcome-required = Le programme demande à sa cohorte de rendre compte de : { $indicators }.
outcome-follow-ups-hint = Passerelle vous redemandera ces mesures dans 3 et 12 mois, pour montrer ce qui a duré.
follow-up-three-months = Après 3 mois
follow-up-twelve-months = Après 12 mois
follow-ups-title = Suivis
follow-up-due-on = dû le { $date }
follow-up-reported-on = transmis le { $date }
follow-up-report = Le remplir
follow-up-correct = Le corriger
follow-up-title = Suivi { $when }
follow-up-lead = Mesurez de nouveau ce que le partenariat avec { $organization } a changé. Laissez vide ce que vous n’avez pas mesuré.
follow-up-baseline = point de départ { $value }
follow-up-target = cible { $value }
follow-up-at-completion = à la fin { $value }
follow-up-note = Ce qui a changé depuis (facultatif)
follow-up-note-hint = Votre partenaire le lira.
follow-up-submit = Enregistrer le suivi
flash-follow-up-saved = Suivi enregistré. Votre partenaire en est informé.
notification-follow-up-due = { $due ->
    [twelve_months] Le suivi à 12 mois est dû : mesurez de nouveau ce que « { $need_title } » avec « { $offer_title } » a changé
   *[other] Le suivi à 3 mois est dû : mesurez de nouveau ce que « { $need_title } » avec « { $offer_title } » a changé
}
notification-follow-up-reported = { $due ->
    [twelve_months] { $by_org } a transmis son suivi à 12 mois de « { $need_title } » avec « { $offer_title } »
   *[other] { $by_org } a transmis son suivi à 3 mois de « { $need_title } » avec « { $offer_title } »
}
program-form-indicators = Indicateurs que chaque partenariat de la cohorte rapporte
program-form-indicators-hint = Tirés de la liste d’indicateurs de Passerelle ; chaque organisme donne un point de départ, une cible, la valeur à la fin et des suivis à 3 et 12 mois.
follow-up-not-yet = Vous pourrez remplir ce suivi à partir du { $date } ; Passerelle vous le rappellera quand il sera dû.

## Program results
program-results-link = Résultats (imprimables)
program-results-title = Résultats : { $name }
program-results-lead = Dirigé par { $lead } ; candidatures, répartition, réalisation et indicateurs de la cohorte, au { $date }.
program-results-applications = Candidatures
program-results-applications-caption = Candidatures selon leur état
program-results-status = État
program-results-count = Nombre
program-results-allocation = Ce que chaque volet a donné par rapport à sa capacité
program-results-allocation-caption = Volets : capacité, unités données, proposées et fournies
program-results-component-row = { $component } : { $given } donnés sur { $capacity }
program-results-component = Volet
program-results-partner = Partenaire
program-results-capacity = Capacité
program-results-given = Donné
program-results-offered = Proposé, en attente
program-results-delivered = Fourni
program-results-delivery = Réalisation
program-results-proposed = Proposés, en attente de réponse
program-results-ended = Refusés, retirés ou annulés
program-results-indicators = Ce qui a changé pour la cohorte
program-results-required = Le programme demande à sa cohorte de rendre compte de : { $indicators }.
program-results-indicators-caption = Les indicateurs de la cohorte, du point de départ au suivi à 12 mois
program-results-reporting = Partenariats qui en rendent compte
program-results-targets-met = Cibles atteintes
program-results-met = { $met } sur { $set }
program-results-stage = { $value } ({ $count } en rendent compte ; { $completion } à la fin)
program-results-follow-up-bar = { $stage } ({ $count } en rendent compte)
program-results-follow-up-desc = { $stage } : { $value }, contre { $completion } à la fin pour les mêmes partenariats
program-results-value = Valeur
program-results-same-at-completion = À la fin, pour les partenariats qui en rendent compte
program-results-sums = Les nombres sont additionnés sur les partenariats qui les rapportent ; les pourcentages sont des moyennes. Un suivi porte sur les partenariats qui l’ont transmis.
