"""Guided mode: the commonest tasks explained one step per page, for a citizen alone or a
mediator sitting beside them. Steps link to the real pages when they exist and can be
opened by the person now: in the space of the address (/espaces/<ref>/guide…), else in
the citizen's own space."""

from flask import Blueprint, abort, current_app, g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.access import menu_access
from webapp.guards import SPACE, on_space, public
from webapp.rendering import render
from webapp.scopes import Scope

bp = Blueprint("guided", __name__)

# task code -> (title, summary, steps); each step: (heading, [paragraphs], link or None),
# a link being (endpoint, label).
TASKS = {
    "activer": (_l("Activer mon espace santé"), _l("Avec le code reçu par courrier ou e-mail."), [
        (_l("Préparez ce qu'il faut"), [
            _l("Le courrier ou l'e-mail de l'Assurance Maladie qui contient votre code "
               "d'activation."),
            _l("Votre carte Vitale ou votre attestation de droits : le numéro de sécurité "
               "sociale y est écrit."),
            _l("Une adresse e-mail que vous consultez.")], None),
        (_l("Ouvrez la page d'activation"), [
            _l("Tapez votre numéro de sécurité sociale, votre date de naissance et le code "
               "d'activation, puis validez.")], ("activation.start", _l("Ouvrir la page "
                                                                          "d'activation"))),
        (_l("Choisissez votre adresse e-mail et votre mot de passe"), [
            _l("Le mot de passe doit faire 12 caractères au moins. Notez-le dans un endroit sûr, "
               "ne le donnez à personne, même pas au médiateur.")], None),
        (_l("Saisissez le code reçu par e-mail"), [
            _l("Un code à 6 chiffres arrive à l'adresse choisie : il prouve qu'elle est la "
               "vôtre. Tapez-le sur la page d'activation ; votre espace s'ouvre alors.")],
         None),
        (_l("Votre espace est prêt"), [
            _l("Vous pouvez maintenant vous connecter avec votre adresse e-mail et votre mot de "
               "passe. Les documents de vos professionnels de santé y arriveront.")],
         ("auth.login", _l("Aller à la page de connexion"))),
    ]),
    "document": (_l("Trouver et imprimer un document"), _l("Une ordonnance, un résultat "
                                                           "d'analyse…"), [
        (_l("Ouvrez vos documents"), [
            _l("Dans le menu, choisissez « Documents ». Les plus récents sont en haut.")],
         ("documents.index", _l("Ouvrir les documents"))),
        (_l("Trouvez le document"), [
            _l("Choisissez une catégorie (ordonnances, analyses…) ou tapez un mot dans la "
               "recherche, puis validez avec « Filtrer ».")], None),
        (_l("Ouvrez-le"), [
            _l("Cliquez sur le titre du document pour voir ses informations, puis sur "
               "« Ouvrir » pour le lire.")], None),
        (_l("Imprimez-le"), [
            _l("Choisissez « Télécharger », ouvrez le fichier, puis utilisez la commande Imprimer "
               "(Ctrl + P sur un ordinateur). Au point France Services, demandez au médiateur "
               "quelle imprimante utiliser.")], None),
    ]),
    "message": (_l("Lire et répondre à un message"), _l("D'un médecin, d'un laboratoire…"), [
        (_l("Ouvrez la messagerie"), [
            _l("Dans le menu, choisissez « Messages ». Le chiffre à côté indique les messages non "
               "lus.")], ("messages.index", _l("Ouvrir la messagerie"))),
        (_l("Ouvrez la conversation"), [
            _l("Les conversations avec des messages non lus sont signalées. Cliquez sur le nom "
               "du professionnel.")], None),
        (_l("Écrivez votre réponse"), [
            _l("Tapez votre réponse en bas de la conversation et choisissez « Envoyer ». Si un "
               "proche aidant ou un médiateur répond pour vous, son nom apparaît sur le "
               "message.")], None),
    ]),
    "rendez-vous": (_l("Ajouter un rendez-vous"), _l("Pour ne pas l'oublier."), [
        (_l("Ouvrez l'agenda"), [_l("Dans le menu, choisissez « Agenda ».")],
         ("agenda.index", _l("Ouvrir l'agenda"))),
        (_l("Ajoutez le rendez-vous"), [
            _l("Choisissez « Ajouter un rendez-vous », puis tapez la date, l'heure, le lieu et "
               "le professionnel.")], ("agenda.add", _l("Ajouter un rendez-vous"))),
        (_l("Vérifiez"), [
            _l("Le rendez-vous apparaît dans l'agenda à sa date. Vous pouvez le modifier ou le "
               "supprimer.")], None),
    ]),
    "bloquer": (_l("Bloquer un professionnel"), _l("Pour qu'il ne voie plus votre espace."), [
        (_l("Ouvrez les accès des professionnels"), [
            _l("Dans « Paramètres », choisissez « Accès des professionnels de santé ». Seule la "
               "personne elle-même peut le faire : un médiateur ou un aidant ne le peut pas.")],
         ("privacy.professionals", _l("Ouvrir les accès des professionnels"))),
        (_l("Choisissez le professionnel"), [
            _l("Trouvez son nom dans la liste et choisissez « Bloquer ».")], None),
        (_l("C'est fait"), [
            _l("Ce professionnel ne peut plus ouvrir votre espace ni y déposer de document. Vous "
               "pouvez le débloquer plus tard.")], None),
    ]),
    "mandat": (_l("Mettre fin à un mandat"), _l("D'un médiateur ou d'un proche aidant."), [
        (_l("Ouvrez vos mandats"), [
            _l("Dans « Paramètres », choisissez « Mandats et aidants ». Vous y voyez qui peut "
               "agir pour vous.")], ("my_mandates.index", _l("Ouvrir mes mandats et aidants"))),
        (_l("Choisissez le mandat"), [
            _l("À côté du nom du médiateur ou du proche, choisissez « Mettre fin ».")], None),
        (_l("Confirmez"), [
            _l("Choisissez « Oui, mettre fin maintenant ». La personne ne peut plus agir pour "
               "vous dès cet instant.")], None),
    ]),
}


def reachable(endpoint):
    """True when the endpoint exists and the current person may open it now."""
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    permission = getattr(view, "permission", "")
    if permission == "public":
        return True
    if not current_user.is_authenticated:
        return False
    if permission.startswith("role:"):
        return current_user.role in permission[5:].split(",")
    access = menu_access()
    return bool(access and permission.startswith("space:") and access.allows(permission[6:]))


def _endpoints():
    """The guide's own pages: inside the space of this page's address, else the public ones."""
    return ("guided.space_index", "guided.space_step") if g.get("access") else (
        "guided.index", "guided.step")


@bp.route("/guide")
@public
def index():
    """The list of guided tasks."""
    return _index()


@bp.route(SPACE + "/guide")
@on_space(Scope.SPACE_VIEW)
def space_index():
    """The guided tasks in a person's space: their links open this space's pages (for a
    mediator or a caregiver sitting beside the person)."""
    return _index()


def _index():
    return render("guided/index.html", title=_("Mode guidé"), tasks=TASKS,
                  step_endpoint=_endpoints()[1])


@bp.route("/guide/<task>/<int:step>")
@public
def step(task, step):
    """One step of a guided task."""
    return _step(task, step)


@bp.route(SPACE + "/guide/<task>/<int:step>")
@on_space(Scope.SPACE_VIEW)
def space_step(task, step):
    """One step of a guided task, in a person's space."""
    return _step(task, step)


def _step(task, number):
    if task not in TASKS or not 1 <= number <= len(TASKS[task][2]):
        abort(404)
    index_endpoint, step_endpoint = _endpoints()
    title, _summary, steps = TASKS[task]
    heading, paragraphs, link = steps[number - 1]
    back = url_for(step_endpoint, task=task, step=number - 1) if number > 1 else url_for(
        index_endpoint)
    return render("guided/step.html", title=heading, task_title=title, paragraphs=paragraphs,
                  link=link if link and reachable(link[0]) else None, missing_link=link,
                  step=number, total=len(steps), task=task, back=back,
                  index_endpoint=index_endpoint, step_endpoint=step_endpoint)


def home_panel(access):
    """Home card of a space for whoever acts for the person: the guide, in this space."""
    if not access.grant.is_assisted:
        return None
    return dict(title=_("Mode guidé"), href=url_for("guided.space_index", ref=access.space.ref),
                text=_("Les tâches courantes expliquées étape par étape, avec les liens vers "
                       "les pages de l'espace de %(name)s.", name=access.space.display_name))
