# device-signin : français (traduit de la source anglaise ; vouvoiement).
# Arguments : $provider (nom d’un fournisseur), $name (personne connectée),
# $host (nom d’hôte d’un serveur), $device (nom de ce téléviseur), $seconds et
# $minutes (nombres entiers), $detail (texte technique, laissé en anglais).

window-title = Connexion

## Boutons

action-new-code = Nouveau code
action-back = Retour
action-try-again = Réessayer
action-try-now = Réessayer
action-sign-out = Se déconnecter
action-cancel = Annuler
action-continue = Continuer
action-other-account = Autre compte

## Choix du fournisseur

choose-title = Se connecter
choose-prompt = Choisissez où se trouve votre compte
choose-hint = Utilisez les flèches pour choisir, puis appuyez sur OK
tile-signed-in = Connecté
tile-signed-in-as = Connecté en tant que { $name }
tile-demo = Démo

## L’écran du code

code-title = Se connecter avec { $provider }
code-getting = Obtention d’un code de connexion auprès de { $provider }…
code-device = Ce téléviseur : { $device }
code-scan = Scannez avec votre téléphone
code-scan-hint = Rien à saisir : vérifiez simplement que le code sur votre téléphone correspond à celui-ci
code-or = ou
code-step-visit = Rendez-vous sur
code-step-enter = Saisissez le code
code-step-approve = Approuvez la connexion sur votre téléphone
code-expires-in =
    { $minutes ->
        [one] Expire dans 1 minute
       *[other] Expire dans { $minutes } minutes
    }
code-last-minute = Il reste moins d’une minute
code-phishing = Ne saisissez ce code que si vous êtes devant cet écran. { $provider } ne vous le demandera jamais par téléphone ni par e-mail.

## Lignes d’état de l’écran du code : calmes, rien à faire

status-waiting = En attente de votre approbation
status-checking = Vérification de votre approbation
status-offline =
    { $seconds ->
        [one] Pas de connexion au serveur pour le moment. Nouvel essai dans { $seconds } seconde
       *[other] Pas de connexion au serveur pour le moment. Nouvel essai dans { $seconds } secondes
    }
status-approved = Approuvé. Finalisation de la connexion…
status-renewed = Le code précédent a expiré, en voici un nouveau
status-slow-down =
    { $seconds ->
        [one] Le serveur a demandé à être interrogé moins souvent : désormais chaque seconde
       *[other] Le serveur a demandé à être interrogé moins souvent : désormais toutes les { $seconds } secondes
    }

## Messages au-dessus du code

notice-signed-out-here = Déconnexion de { $provider } effectuée sur ce téléviseur
notice-ended = Votre connexion à { $provider } a pris fin
notice-signed-out-not-confirmed = Déconnexion effectuée sur ce téléviseur, mais { $provider } ne l’a pas confirmée ({ $detail })
notice-signed-out-no-revocation = Déconnexion effectuée sur ce téléviseur ({ $provider } ne permet pas de mettre fin à la connexion de son côté)
notice-signed-out-who = Le compte { $name } a été déconnecté de { $provider }
notice-signed-out = Déconnexion de { $provider } effectuée

## Résultats

expired-title = Le code a expiré
expired-renew-in =
    { $seconds ->
        [one] Nouveau code dans { $seconds } seconde
       *[other] Nouveau code dans { $seconds } secondes
    }
expired-press-ok = Appuyez sur OK pour obtenir un nouveau code
declined-title = La connexion a été refusée sur l’autre appareil
declined-nobody = Aucun compte n’était connecté à { $provider }.
signed-in = Connexion réussie
signed-in-as = Connecté en tant que { $name }
signed-in-with = avec { $provider }
signed-in-offline =
    { $seconds ->
        [one] { $provider } est injoignable pour renouveler la connexion. Nouvel essai dans { $seconds } seconde
       *[other] { $provider } est injoignable pour renouveler la connexion. Nouvel essai dans { $seconds } secondes
    }
continuing-in =
    { $seconds ->
        [one] Suite dans { $seconds } seconde
       *[other] Suite dans { $seconds } secondes
    }
restoring-welcome = Bon retour parmi nous
restoring-welcome-who = Bon retour parmi nous, { $name }
restoring-checking = Vérification de votre connexion à { $provider }…
restoring-offline = { $provider } est injoignable pour le moment. Votre connexion est conservée
trying-again-in =
    { $seconds ->
        [one] Nouvel essai dans { $seconds } seconde
       *[other] Nouvel essai dans { $seconds } secondes
    }
sign-out-question-who = Déconnecter { $name } de { $provider } ?
sign-out-question = Se déconnecter de { $provider } ?
sign-out-afterwards = Il faudra ensuite vous reconnecter sur ce téléviseur
signing-out = Déconnexion de { $provider }…
signing-out-asking = Demande à { $provider } de mettre fin à la connexion
problem-retrying-in =
    { $seconds ->
        [one] Nouvel essai automatique dans { $seconds } seconde
       *[other] Nouvel essai automatique dans { $seconds } secondes
    }

## Problèmes : un titre simple, puis une seule chose à faire

problem-declined = Connexion refusée
problem-expired = Le code a expiré
problem-ended = Votre connexion à { $provider } a pris fin
problem-tls = Impossible d’établir une connexion sécurisée avec { $host }
problem-timeout = { $host } ne répond pas
problem-dns = Impossible de trouver { $host } sur le réseau
problem-unusable = { $provider } a envoyé une réponse que cette application ne peut pas utiliser
problem-no-tls = Cet appareil ne peut pas établir de connexions sécurisées
problem-unreachable = Impossible de joindre { $host }
problem-wrong-address = L’adresse de connexion de { $provider } est incorrecte
problem-refused-app = { $provider } a refusé cette application
problem-busy = { $provider } est très sollicité en ce moment
problem-trouble = { $provider } rencontre des difficultés en ce moment
problem-refused-request = { $provider } a refusé la demande
problem-not-enabled = Cette application n’est pas activée pour la connexion d’appareils chez { $provider }
problem-unknown-app = { $provider } ne reconnaît pas cette application
problem-scope = { $provider } a refusé les autorisations demandées par cette application
problem-refused-sign-in = { $provider } a refusé la connexion
problem-settings = Les paramètres de connexion pour { $provider } sont incomplets
problem-store = Impossible d’enregistrer la connexion sur cet appareil

next-new-code = Appuyez sur OK pour obtenir un nouveau code
next-sign-in-again = Reconnectez-vous pour continuer
next-check-internet = Vérifiez que le téléviseur est connecté à Internet
next-check-clock = Vérifiez que la date et l’heure du téléviseur sont correctes
next-wait = Patientez quelques minutes, puis réessayez
next-ask-admin = Demandez à la personne qui a configuré ce téléviseur de vérifier ses paramètres de connexion
next-ask-admin-storage = Demandez à la personne qui a configuré ce téléviseur de vérifier son stockage

## `login` simple dans un terminal

login-start = Connexion avec { $provider }…
login-start-demo = Connexion avec { $provider } (démo)…
login-go-to = Sur votre téléphone ou votre ordinateur, rendez-vous sur :
login-enter = et saisissez le code :
login-scan = Ou scannez ce code QR :
login-expires-waiting =
    { $minutes ->
        [one] Le code expire dans { $minutes } minute. En attente d’approbation…
       *[other] Le code expire dans { $minutes } minutes. En attente d’approbation…
    }
login-checking = vérification…
login-slow-down =
    { $seconds ->
        [one] le serveur a demandé à être interrogé moins souvent : désormais chaque seconde
       *[other] le serveur a demandé à être interrogé moins souvent : désormais toutes les { $seconds } secondes
    }
login-offline =
    { $seconds ->
        [one] pas de connexion ({ $detail }) ; nouvel essai dans { $seconds } seconde
       *[other] pas de connexion ({ $detail }) ; nouvel essai dans { $seconds } secondes
    }
login-approved = approuvé ; vérification de la réponse…
login-signed-in = Connecté en tant que { $name } avec { $provider }.
login-unnamed = un compte sans nom
login-declined = La connexion a été refusée sur l’autre appareil.
login-expired = Le code a expiré avant d’être approuvé. Relancez login pour en obtenir un nouveau.
login-interrupted = Interrompu : connexion annulée.
