"""The CPD record page: a form and a table that a trainee keeps in their own browser.

The page is plain HTML made from the model (the activities and competencies to choose from); the local script
``assets/javascripts/cpd-record.js`` keeps the entries in the browser's local storage through the shared store
(``assets/javascripts/store.js``), and exports, prints and deletes them. Nothing is sent anywhere. Without
JavaScript the page says so and still lists what can be recorded.
"""

from __future__ import annotations

from html import escape

from college.curriculum import Curriculum
from college.site import paths
from college.site.markdown import link

FORM_ID = "cpd-form"


def _activity_options(curriculum: Curriculum) -> str:
    options = ['<option value="">Something else (describe it in the title)</option>']
    for activity in curriculum.activities:
        evidenced = " ".join(f"{item.id}:{item.level}" for item in activity.competencies)
        options.append(
            f'<option value="{escape(activity.id)}" data-hours="{activity.hours}" '
            f'data-competencies="{escape(evidenced)}">{escape(activity.title)}</option>'
        )
    return "".join(options)


def _competency_fields(curriculum: Curriculum) -> str:
    fields = []
    for competency in curriculum.competencies:
        field_id = f"cpd-level-{competency.id}"
        levels = [level for level in curriculum.levels if level.id in competency.levels]
        options = '<option value="">Not evidenced</option>' + "".join(
            f'<option value="{escape(level.id)}">{escape(level.name)}</option>' for level in levels
        )
        fields.append(
            f'<div class="college-cpd__competency"><label for="{field_id}">{escape(competency.name)}</label>'
            f'<select id="{field_id}" name="level-{escape(competency.id)}" data-competency="{escape(competency.id)}" '
            f'data-name="{escape(competency.name)}">{options}</select></div>'
        )
    return "".join(fields)


def render_cpd_record(curriculum: Curriculum) -> str:
    page = paths.CPD_RECORD
    form = "".join(
        [
            '<div class="college-cpd" data-storage-name="cpd-record">',
            '<p class="college-cpd__nojs">The CPD record needs JavaScript, which is turned off or has not loaded. '
            "Nothing has been stored.</p>",
            f'<form class="college-cpd__form" id="{FORM_ID}" aria-labelledby="{FORM_ID}-title" hidden>',
            f'<h2 id="{FORM_ID}-title">Add an entry</h2>',
            '<div class="college-cpd__field"><label for="cpd-activity">Activity</label>',
            f'<select id="cpd-activity" name="activity">{_activity_options(curriculum)}</select>',
            '<p class="college-cpd__hint" id="cpd-activity-hint">Choosing one of the college\'s activities fills '
            "in its title, typical hours and the competencies it evidences; change them to match what you did.</p>"
            "</div>",
            '<div class="college-cpd__field"><label for="cpd-title">Title (required)</label>',
            '<input type="text" id="cpd-title" name="title" required autocomplete="off"></div>',
            '<div class="college-cpd__field"><label for="cpd-date">Date completed (required)</label>',
            '<input type="date" id="cpd-date" name="date" required></div>',
            '<div class="college-cpd__field"><label for="cpd-hours">Hours spent (required)</label>',
            '<input type="number" id="cpd-hours" name="hours" min="0.5" max="1000" step="0.5" required '
            'inputmode="decimal"></div>',
            '<fieldset class="college-cpd__competencies"><legend>Competencies and the level this evidences</legend>',
            _competency_fields(curriculum),
            "</fieldset>",
            '<div class="college-cpd__field"><label for="cpd-reflection">Reflections</label>',
            '<p class="college-cpd__hint" id="cpd-reflection-hint">What you did, what you learnt and what you '
            "would do differently. Do not record anything about patients.</p>",
            '<textarea id="cpd-reflection" name="reflection" rows="5" aria-describedby="cpd-reflection-hint">'
            "</textarea></div>",
            '<div class="college-cpd__field"><label for="cpd-evidence">Links to evidence</label>',
            '<p class="college-cpd__hint" id="cpd-evidence-hint">One web address per line, for example a '
            "repository, a board paper or a reviewer's note.</p>",
            '<textarea id="cpd-evidence" name="evidence" rows="3" aria-describedby="cpd-evidence-hint">'
            "</textarea></div>",
            '<button type="submit" class="md-button md-button--primary">Add to my record</button>',
            "</form>",
            '<p class="college-cpd__status" role="status" aria-live="polite"></p>',
            '<section class="college-cpd__record" aria-labelledby="cpd-record-title" hidden>',
            '<h2 id="cpd-record-title">My record</h2>',
            '<p class="college-cpd__summary"></p>',
            # The table has no class so that Material styles it like every other table on the site.
            '<div class="college-cpd__table" role="region" aria-labelledby="cpd-record-title" tabindex="0">',
            "<table><caption>CPD activities recorded in this browser</caption>",
            '<thead><tr><th scope="col">Date</th><th scope="col">Activity</th><th scope="col">Hours</th>'
            '<th scope="col">Competencies evidenced</th><th scope="col">Reflections</th>'
            '<th scope="col">Evidence</th><th scope="col" class="college-cpd__actions">Actions</th></tr></thead>',
            "<tbody></tbody></table></div>",
            '<div class="college-cpd__buttons">',
            '<button type="button" class="md-button college-cpd__export">Export as CSV</button>',
            '<button type="button" class="md-button college-cpd__print">Print my record</button>',
            '<button type="button" class="md-button college-cpd__delete-all">Delete my whole record</button>',
            "</div></section>",
            '<div class="college-cpd__import" hidden>',
            '<h2 id="cpd-import-title">Bring in a record from another device</h2>',
            '<div class="college-cpd__field"><label for="cpd-import">A CSV file exported from this page</label>',
            '<input type="file" id="cpd-import" accept=".csv,text/csv"></div>',
            "</div></div>",
        ]
    )
    return (
        "# My CPD record\n\n"
        "Keep a record of your continuing professional development: what you did, how long it took, which "
        "competencies it evidences and at what level, what you learnt, and where the evidence is. Use it for "
        "appraisal, for professional registration and when you apply for the next role up.\n\n"
        '!!! info "Your record stays in this browser"\n'
        "    The record is kept only in this browser's local storage, on this device. Nothing is sent to the "
        "college or anyone else. Export it as a CSV file to keep a copy, bring that file in on another device, "
        "print it, or delete it at any time. Clearing your browser's site data deletes it too.\n\n"
        f"The {link('CPD activities', page, paths.ACTIVITIES_INDEX)} describe work that evidences expert level, "
        f"and each {link('role page', page, paths.ROLES_INDEX)} shows what the next role up adds.\n\n"
        + form
        + "\n"
    )
