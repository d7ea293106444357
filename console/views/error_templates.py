"""Translatable templates for the core's refusal codes (see messages.describe_error).

One entry per code raised in console/ (tests/ui/test_translations.py finds any code without
one). Each template uses only the `{param}` names its raise sites pass; where one code is
raised from several places with different params, only the params common to all. Eligibility
items that are still open ("not yet known") share their code with the failure and have their
own wording in `_UNKNOWN`. Every template is one string literal: lupdate reads one per message.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


def _t(text: str, context: str = "Errors") -> str:
    return QCoreApplication.translate(context, text)


def error_template(code: str, *, unknown: bool = False) -> str | None:
    """The translated template for `code`, with `{param}` placeholders, or None.

    `unknown=True` asks for the wording of a check that is still open rather than failed
    (eligibility findings in a verdict's `unknowns`); codes without such wording fall back to
    the ordinary template.
    """
    template = (_UNKNOWN.get(code) if unknown else None) or _TEMPLATES.get(code)
    return _t(str(template)) if template else None


def has_unknown_wording(code: str) -> bool:
    return code in _UNKNOWN


def grade_label(grade: str) -> str | None:
    """A liability grade value ('main') in the user's language, or None if not a grade."""
    label = _GRADES.get(grade)
    return _t(str(label), "LiabilityGrade") if label else None


def party_label(letter: str) -> str | None:
    """A party letter (A/B/C) as the hall says it (甲/乙/丙 in Chinese), or None."""
    label = _PARTY_LETTERS.get(letter)
    return _t(str(label), "PartyLetter") if label else None


def action_label(action: str) -> str | None:
    """What a permission refusal says the user may not do, or None if the action is unknown."""
    label = _ACTIONS.get(action)
    return _t(str(label)) if label else None


_GRADES = {
    "full": QT_TRANSLATE_NOOP("LiabilityGrade", "full"),
    "main": QT_TRANSLATE_NOOP("LiabilityGrade", "main"),
    "equal": QT_TRANSLATE_NOOP("LiabilityGrade", "equal"),
    "minor": QT_TRANSLATE_NOOP("LiabilityGrade", "minor"),
    "none": QT_TRANSLATE_NOOP("LiabilityGrade", "none"),
}

_PARTY_LETTERS = {
    "A": QT_TRANSLATE_NOOP("PartyLetter", "A"),
    "B": QT_TRANSLATE_NOOP("PartyLetter", "B"),
    "C": QT_TRANSLATE_NOOP("PartyLetter", "C"),
}

# console.hall.permissions.Action values and the extra actions accounts.py checks.
_ACTIONS = {
    "reprint_letter": QT_TRANSLATE_NOOP("Errors", "reprint determination letters"),
    "export_case_file": QT_TRANSLATE_NOOP("Errors", "export case files"),
    "unmask_personal_data": QT_TRANSLATE_NOOP("Errors", "show the parties' personal data"),
    "manage_helpers": QT_TRANSLATE_NOOP("Errors", "manage citizen helpers"),
    "close_helper_month": QT_TRANSLATE_NOOP("Errors", "close a month of helper rewards"),
    "export_helper_ledger": QT_TRANSLATE_NOOP("Errors", "export the helper payment sheet"),
    "create_case": QT_TRANSLATE_NOOP("Errors", "open cases"),
    "edit_case": QT_TRANSLATE_NOOP("Errors", "edit cases"),
    "claim_case": QT_TRANSLATE_NOOP("Errors", "claim cases"),
    "take_over": QT_TRANSLATE_NOOP("Errors", "take over cases"),
    "create_user": QT_TRANSLATE_NOOP("Errors", "create users"),
    "unlock_user": QT_TRANSLATE_NOOP("Errors", "unlock accounts"),
    "retry_outbox": QT_TRANSLATE_NOOP("Errors", "send undelivered messages again"),
    "file_complaint": QT_TRANSLATE_NOOP("Errors", "file non-payment complaints"),
    "record_contact": QT_TRANSLATE_NOOP("Errors", "record the call to the insurer"),
    "sanction_complaint": QT_TRANSLATE_NOOP("Errors", "sanction insurers that do not pay"),
    "record_payment": QT_TRANSLATE_NOOP("Errors", "record the insurer's payment"),
    "take_claim": QT_TRANSLATE_NOOP("Errors", "take insurance claims"),
    "record_assessment": QT_TRANSLATE_NOOP("Errors", "record loss assessments"),
    "record_payout": QT_TRANSLATE_NOOP("Errors", "record claim payouts"),
    "import_cameras": QT_TRANSLATE_NOOP("Errors", "import the camera list"),
    "export_cameras": QT_TRANSLATE_NOOP("Errors", "export the camera list"),
    "save_wall_layout": QT_TRANSLATE_NOOP("Errors", "save camera wall layouts"),
    "attach_evidence": QT_TRANSLATE_NOOP("Errors", "attach video evidence"),
    "verify_evidence": QT_TRANSLATE_NOOP("Errors", "verify video evidence"),
    "request_rescue": QT_TRANSLATE_NOOP("Errors", "request rescue units"),
    "dispatch_rescue": QT_TRANSLATE_NOOP("Errors", "dispatch rescue units"),
    "view_rescue_board": QT_TRANSLATE_NOOP("Errors", "see the rescue board"),
}

_TEMPLATES = {
    # ------------------------------------------------------------ rescue seat
    "rescue.bad_arrival_target": QT_TRANSLATE_NOOP(
        "Errors", "The arrival target must be 1 to 180 minutes, not {minutes}."
    ),
    "rescue.half_coordinates": QT_TRANSLATE_NOOP(
        "Errors", "Give both latitude and longitude of the place, or neither."
    ),
    "rescue.bad_coordinates": QT_TRANSLATE_NOOP(
        "Errors", "{lat}, {lon} is not a place on the map."
    ),
    "rescue.task_not_found": QT_TRANSLATE_NOOP(
        "Errors", "Rescue request {task_id} does not exist."
    ),
    "rescue.unit_not_found": QT_TRANSLATE_NOOP("Errors", "Rescue unit {unit_id} does not exist."),
    "rescue.task_not_waiting": QT_TRANSLATE_NOOP(
        "Errors", "Rescue request {task_id} no longer waits for a unit; another seat was first."
    ),
    "rescue.place_required": QT_TRANSLATE_NOOP(
        "Errors", "Type where the vehicle stands, e.g. the road and the kilometre post."
    ),
    "rescue.place_too_long": QT_TRANSLATE_NOOP(
        "Errors", "The place is {length} characters; at most {limit} fit."
    ),
    "rescue.vehicle_required": QT_TRANSLATE_NOOP(
        "Errors", "Describe the vehicle that cannot move: plate, type and colour."
    ),
    "rescue.vehicle_too_long": QT_TRANSLATE_NOOP(
        "Errors", "The vehicle description is {length} characters; at most {limit} fit."
    ),
    "rescue.note_too_long": QT_TRANSLATE_NOOP(
        "Errors", "The note is {length} characters; at most {limit} fit."
    ),
    "rescue.already_requested": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} already has rescue request {task_id} open."
    ),
    "rescue.no_position": QT_TRANSLATE_NOOP(
        "Errors",
        "Rescue request {task_id} has no position on the map; choose a unit on the board yourself.",
    ),
    "rescue.no_unit_available": QT_TRANSLATE_NOOP(
        "Errors", "No rescue unit with a known position is available for request {task_id}."
    ),
    "rescue.unit_busy": QT_TRANSLATE_NOOP(
        "Errors", "Rescue unit {call_sign} is not available any more."
    ),
    "rescue.dispatch_by_assigning": QT_TRANSLATE_NOOP(
        "Errors", "A unit is dispatched by assigning it to a rescue request."
    ),
    "rescue.bad_move": QT_TRANSLATE_NOOP(
        "Errors", "Rescue unit {call_sign} is {current} and cannot become {requested}."
    ),
    "rescue.reason_required": QT_TRANSLATE_NOOP(
        "Errors", "Type why the rescue request is cancelled."
    ),
    "rescue.reason_too_long": QT_TRANSLATE_NOOP(
        "Errors", "The reason is {length} characters; at most {limit} fit."
    ),
    "rescue.cannot_cancel": QT_TRANSLATE_NOOP(
        "Errors",
        "Rescue request {task_id} cannot be cancelled: a unit has reached the scene already.",
    ),
    # ------------------------------------------------------------ claims seat
    "claim.no_such_claim": QT_TRANSLATE_NOOP("Errors", "Claim {claim_id} does not exist."),
    "claim.stale": QT_TRANSLATE_NOOP(
        "Errors",
        "The claim on case {case_no} was changed by someone else since you opened it. Reload it and apply your change again; your input is kept.",
    ),
    "claim.not_taken": QT_TRANSLATE_NOOP(
        "Errors", "Take the claim on case {case_no} before you change it."
    ),
    "claim.held_by_other": QT_TRANSLATE_NOOP(
        "Errors", "The claim on case {case_no} is being handled by {holder}."
    ),
    "claim.case_not_open": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} is not open for claims; its claims cannot change now."
    ),
    "claim.bad_amount": QT_TRANSLATE_NOOP(
        "Errors",
        "The amount {amount} must be more than 0 and at most {cap} yuan, with at most two decimal places.",
    ),
    "claim.stage_backwards": QT_TRANSLATE_NOOP(
        "Errors",
        "The claim on case {case_no} has already moved past this stage; it cannot go back.",
    ),
    "claim.already_paid": QT_TRANSLATE_NOOP(
        "Errors", "The claim on case {case_no} is already paid."
    ),
    "claim.not_assessed": QT_TRANSLATE_NOOP(
        "Errors", "The claim on case {case_no} has not been assessed; assess it before paying."
    ),
    "claim.paid_before_accident": QT_TRANSLATE_NOOP(
        "Errors", "The payout time {paid_at} is before the accident."
    ),
    "claim.paid_in_future": QT_TRANSLATE_NOOP(
        "Errors", "The payout time {paid_at} is in the future."
    ),
    "claim.naive_time": QT_TRANSLATE_NOOP("Errors", "The payout time has no time zone."),
    "claim.no_amount": QT_TRANSLATE_NOOP("Errors", "Type the amount in yuan."),
    "claim.amount_not_a_number": QT_TRANSLATE_NOOP(
        "Errors", "{amount} is not an amount of yuan; type digits such as 1800 or 1800.50."
    ),
    "claim.no_damaged_parts": QT_TRANSLATE_NOOP(
        "Errors", "Name between 1 and {max} damaged parts."
    ),
    "claim.bad_repair_shop": QT_TRANSLATE_NOOP(
        "Errors", "Name the repair shop in at most {max} characters."
    ),
    # ------------------------------------------------------------ checkpoint hits
    "checkpoint.unknown_camera": QT_TRANSLATE_NOOP(
        "Errors", "Camera {camera_id} is not in the camera registry."
    ),
    "checkpoint.unknown_entry": QT_TRANSLATE_NOOP(
        "Errors", "Plate {plate_no} is on no watch-list entry of the hall."
    ),
    # ------------------------------------------------------------ non-payment complaints
    "org_role.not_postgres": QT_TRANSLATE_NOOP(
        "Errors", "Database roles for insurers exist only in a PostgreSQL hall, not in the demo."
    ),
    "org_role.not_insurer": QT_TRANSLATE_NOOP(
        "Errors",
        "Organisation {org_id} is not an insurer; only insurers' seats get a database role.",
    ),
    "helper.bad_month": QT_TRANSLATE_NOOP(
        "Errors", '"{month}" is not a month; write it as YYYY-MM.'
    ),
    "helper.name_empty": QT_TRANSLATE_NOOP("Errors", "Type the helper's name."),
    "helper.name_too_long": QT_TRANSLATE_NOOP(
        "Errors", "The helper's name has {length} characters; at most {limit} fit."
    ),
    "helper.phone_taken": QT_TRANSLATE_NOOP(
        "Errors", "A helper with mobile number {phone} is registered already."
    ),
    "helper.not_found": QT_TRANSLATE_NOOP(
        "Errors", "Helper {helper_id} no longer exists; reload the list."
    ),
    "helper.case_not_found": QT_TRANSLATE_NOOP("Errors", 'There is no case numbered "{case_no}".'),
    "helper.month_not_over": QT_TRANSLATE_NOOP(
        "Errors", "{month} is not over yet; close it from the 1st of the next month."
    ),
    "search.bad_date_range": QT_TRANSLATE_NOOP(
        "Errors", "The end of the date range must come after its start."
    ),
    "unmask.no_reason": QT_TRANSLATE_NOOP(
        "Errors", "Say why the personal data must be shown: the reason is recorded."
    ),
    "party.not_found": QT_TRANSLATE_NOOP("Errors", "Party {party_id} does not exist."),
    "complaint.bad_claim_amount": QT_TRANSLATE_NOOP(
        "Errors", "The amount claimed must be more than zero yuan; got {amount}."
    ),
    "complaint.bad_transition": QT_TRANSLATE_NOOP(
        "Errors", "A complaint that is {from_state} cannot become {to_state}."
    ),
    "complaint.bad_fine_range": QT_TRANSLATE_NOOP(
        "Errors",
        "The fine range must be above zero with the minimum not above the maximum; got {fine_min}–{fine_max} yuan.",
    ),
    "complaint.fine_out_of_range": QT_TRANSLATE_NOOP(
        "Errors", "The fine must be between {fine_min} and {fine_max} yuan; got {amount}."
    ),
    "complaint.bad_payment": QT_TRANSLATE_NOOP(
        "Errors", "The amount paid must be more than zero yuan; got {amount}."
    ),
    "complaint.no_company": QT_TRANSLATE_NOOP(
        "Errors", "A claims seat must belong to an insurer to work on complaints."
    ),
    "complaint.other_insurer": QT_TRANSLATE_NOOP(
        "Errors", "An insurer's staff may file complaints only against their own company."
    ),
    "complaint.reason_required": QT_TRANSLATE_NOOP("Errors", "Enter the reason for the complaint."),
    "complaint.reason_too_long": QT_TRANSLATE_NOOP(
        "Errors", "The complaint reason is {length} characters; at most {limit} fit."
    ),
    "complaint.note_required": QT_TRANSLATE_NOOP("Errors", "Enter a note of the call."),
    "complaint.note_too_long": QT_TRANSLATE_NOOP(
        "Errors", "The call note is {length} characters; at most {limit} fit."
    ),
    "complaint.no_party": QT_TRANSLATE_NOOP("Errors", "Case {case_no} has no party {letter}."),
    "complaint.insurer_mismatch": QT_TRANSLATE_NOOP(
        "Errors", "Party {letter} of case {case_no} is not insured by the named insurer."
    ),
    "complaint.no_plate": QT_TRANSLATE_NOOP(
        "Errors", "Party {letter} of case {case_no} has no plate to put on the watch list."
    ),
    "complaint.complainant_required": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} does not have exactly one other party; name the complainant."
    ),
    "complaint.bad_complainant": QT_TRANSLATE_NOOP(
        "Errors", "Party {letter} of case {case_no} cannot be the complainant."
    ),
    "complaint.already_open": QT_TRANSLATE_NOOP(
        "Errors",
        "Complaint {complaint_id} against this insurer about party {letter} of case {case_no} is still open.",
    ),
    "complaint.not_found": QT_TRANSLATE_NOOP("Errors", "Complaint {complaint_id} does not exist."),
    # ------------------------------------------------------------ cameras and evidence
    "camera.missing_field": QT_TRANSLATE_NOOP("Errors", "Line {line}: the {field} field is empty."),
    "camera.bad_id": QT_TRANSLATE_NOOP(
        "Errors", "Line {line}: camera id '{id}' must be 1 to 32 letters, digits, '_' or '-'."
    ),
    "camera.too_long": QT_TRANSLATE_NOOP(
        "Errors", "Line {line}: the {field} field has {length} characters; at most {limit} fit."
    ),
    "camera.slash_in_group": QT_TRANSLATE_NOOP(
        "Errors",
        "Line {line}: the {field} field '{value}' contains '/', which separates the group levels.",
    ),
    "camera.bad_number": QT_TRANSLATE_NOOP(
        "Errors", "Line {line}: {field} '{value}' is not a number in decimal degrees."
    ),
    "camera.outside_china": QT_TRANSLATE_NOOP(
        "Errors", "Line {line}: latitude {lat}, longitude {lon} is not a place in China."
    ),
    "camera.swapped_coordinates": QT_TRANSLATE_NOOP(
        "Errors", "Line {line}: latitude {lat} and longitude {lon} look swapped."
    ),
    "camera.bad_url": QT_TRANSLATE_NOOP(
        "Errors",
        "Line {line}: the {field} {url} cannot be opened; use an rtsp://, rtsps://, http(s):// or file: URL.",
    ),
    "camera.redacted_url": QT_TRANSLATE_NOOP(
        "Errors",
        "Line {line}: the {field} {url} has *** in place of its password; import an export made with credentials.",
    ),
    "camera.duplicate_column": QT_TRANSLATE_NOOP(
        "Errors", "Line {line}: column {column} appears twice in the header."
    ),
    "camera.missing_column": QT_TRANSLATE_NOOP(
        "Errors", "Line {line}: the header has no {column} column; the columns are {columns}."
    ),
    "camera.extra_fields": QT_TRANSLATE_NOOP(
        "Errors",
        "Line {line} has {found} fields but the header {expected}; is a comma in a name missing its quotes?",
    ),
    "camera.duplicate_id": QT_TRANSLATE_NOOP(
        "Errors", "Line {line}: camera id {id} is already used on line {first_line}."
    ),
    "camera.bad_csv": QT_TRANSLATE_NOOP(
        "Errors", "Line {line}: the file is not valid CSV ({detail})."
    ),
    "camera.empty_file": QT_TRANSLATE_NOOP("Errors", "The file holds no cameras."),
    "camera.not_found": QT_TRANSLATE_NOOP("Errors", "Camera {camera_id} does not exist."),
    "camera.bad_point": QT_TRANSLATE_NOOP("Errors", "{lat}, {lon} is not a place on the map."),
    "camera.case_not_located": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} has no coordinates; set the place on the map first."
    ),
    "wall.other_seat": QT_TRANSLATE_NOOP(
        "Errors", "Only the supervisor changes the layouts of seat {seat}."
    ),
    "wall.bad_name": QT_TRANSLATE_NOOP("Errors", "A layout name is 1 to {limit} characters."),
    "wall.bad_layout": QT_TRANSLATE_NOOP(
        "Errors", "The layout cannot be saved: it must be a JSON object of at most {limit} bytes."
    ),
    "evidence.bad_range": QT_TRANSLATE_NOOP(
        "Errors", "The footage ends ({end}) before it starts ({start})."
    ),
    "evidence.in_future": QT_TRANSLATE_NOOP(
        "Errors", "The footage ends at {end}, later than now; check this desk's clock."
    ),
    "evidence.empty": QT_TRANSLATE_NOOP("Errors", "The footage file is empty."),
    "evidence.too_large": QT_TRANSLATE_NOOP(
        "Errors", "The footage is {size_mb} MB; at most {limit_mb} MB can be stored."
    ),
    "evidence.not_image": QT_TRANSLATE_NOOP("Errors", "The snapshot is not a PNG or JPEG image."),
    "evidence.bad_mime": QT_TRANSLATE_NOOP(
        "Errors", "{mime} is not a video type such as video/mp4."
    ),
    "evidence.not_found": QT_TRANSLATE_NOOP("Errors", "Evidence {evidence_id} does not exist."),
    # ------------------------------------------------------------ plates (validation.py)
    "plate.empty": QT_TRANSLATE_NOOP("Errors", "The plate number is empty."),
    "plate.bad_province": QT_TRANSLATE_NOOP(
        "Errors",
        "Plate {plate}: '{found}' is not a province abbreviation; a plate starts with one such as 京 or 粤 (embassy plates carry 使).",
    ),
    "plate.bad_authority": QT_TRANSLATE_NOOP(
        "Errors",
        "Plate {plate}: the issuing-authority letter (A–Z) must follow the province abbreviation.",
    ),
    "plate.bad_suffix": QT_TRANSLATE_NOOP(
        "Errors",
        "Plate {plate} ends with '{found}', which is not a plate ending; the endings are 警, 学, 挂, 试, 港, 澳 and 领.",
    ),
    "plate.bad_character": QT_TRANSLATE_NOOP(
        "Errors",
        "Plate {plate}: character {position} '{found}' is not allowed; only digits and the letters A–Z except I and O may follow the issuing letter.",
    ),
    "plate.bad_length": QT_TRANSLATE_NOOP(
        "Errors", "Plate {plate} has {found} serial characters; {required} are required."
    ),
    "plate.bad_cross_border": QT_TRANSLATE_NOOP(
        "Errors", "Plate {plate}: Hong Kong and Macau plates start with 粤Z, not {found}."
    ),
    "plate.bad_new_energy": QT_TRANSLATE_NOOP(
        "Errors",
        "Plate {plate}: the 6-character serial {serial} is not a new-energy plate (small: energy letter, a letter or digit, 4 digits; large: 5 digits then D or F).",
    ),
    "plate.bad_embassy": QT_TRANSLATE_NOOP(
        "Errors", "Embassy plate {plate} must be 6 digits with 使 at the end or the start."
    ),
    # ------------------------------------------------------------ ID numbers
    "id.empty": QT_TRANSLATE_NOOP("Errors", "The ID number is empty."),
    "id.bad_length": QT_TRANSLATE_NOOP(
        "Errors", "ID number {number} has {found} characters; {required} are required."
    ),
    "id.bad_character": QT_TRANSLATE_NOOP(
        "Errors",
        "ID number: '{found}' is not allowed; an ID number is 17 digits followed by a digit or X.",
    ),
    "id.bad_region": QT_TRANSLATE_NOOP(
        "Errors",
        "ID number {number}: region code {found} does not start with a province code (e.g. 11 Beijing, 44 Guangdong).",
    ),
    "id.bad_birth_date": QT_TRANSLATE_NOOP(
        "Errors", "ID number {number}: birth date {found} is not a possible date."
    ),
    "id.bad_check_digit": QT_TRANSLATE_NOOP(
        "Errors",
        "ID number {number} ends with '{found}', but the check digit should be '{expected}'; a digit is mistyped.",
    ),
    # ------------------------------------------------------------ mobile numbers
    "mobile.empty": QT_TRANSLATE_NOOP("Errors", "The mobile number is empty."),
    "mobile.not_mainland": QT_TRANSLATE_NOOP(
        "Errors",
        "Mobile number {number} has a country code other than +86; only mainland mobile numbers are accepted.",
    ),
    "mobile.bad_character": QT_TRANSLATE_NOOP(
        "Errors", "Mobile number {number} contains '{found}'; only digits are allowed."
    ),
    "mobile.bad_length": QT_TRANSLATE_NOOP(
        "Errors", "Mobile number {number} has {found} digits; {required} are required."
    ),
    "mobile.bad_prefix": QT_TRANSLATE_NOOP(
        "Errors",
        "Mobile number {number} starts with {found}; mainland mobile numbers start with 13 to 19.",
    ),
    "guidance.wrong_state": QT_TRANSLATE_NOOP(
        "Errors",
        "Case {case_no} is {state}; the guidance SMS goes out only while the parties are to upload.",
    ),
    "guidance.no_number": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} has no number to text; type the caller's mobile."
    ),
    "guidance.not_mobile": QT_TRANSLATE_NOOP(
        "Errors", "{number} cannot receive an SMS; ask the caller for a mobile number."
    ),
    # ------------------------------------------------------------ review and intake
    "review.photo_present": QT_TRANSLATE_NOOP("Errors", "{kind} photo present."),
    "review.photo_refused": QT_TRANSLATE_NOOP(
        "Errors", "The {kind} photo was refused ({reason}); ask the parties for it again."
    ),
    "review.photo_missing": QT_TRANSLATE_NOOP("Errors", "The {kind} photo is missing."),
    "review.too_many_photos": QT_TRANSLATE_NOOP(
        "Errors", "{count} extra photos; at most {limit} are kept."
    ),
    "review.photos_legible": QT_TRANSLATE_NOOP(
        "Errors", "Plates and markings are legible in the photos."
    ),
    "review.damage_consistent": QT_TRANSLATE_NOOP(
        "Errors", "The damage matches the parties' account; no exclusion seen."
    ),
    "review.duplicate_suspected": QT_TRANSLATE_NOOP(
        "Errors", "Other open cases have the same plates: {cases}."
    ),
    "review.not_clean": QT_TRANSLATE_NOOP(
        "Errors",
        "Case {case_no} cannot be approved: {failed} items failed and {open} are still open.",
    ),
    "review.no_reasons": QT_TRANSLATE_NOOP(
        "Errors", "Choose at least one reason to return the case."
    ),
    "submission.bad_id": QT_TRANSLATE_NOOP(
        "Errors", "The submission id must be 1 to 64 characters."
    ),
    "submission.naive_time": QT_TRANSLATE_NOOP("Errors", "A submission time has no time zone."),
    "submission.bad_parties": QT_TRANSLATE_NOOP(
        "Errors", "Parties must be lettered A to C once each, not {letters}."
    ),
    "submission.bad_photo_kind": QT_TRANSLATE_NOOP("Errors", "Unknown photo kind {kind}."),
    # ------------------------------------------------------------ determination and letters
    "determination.no_narrative": QT_TRANSLATE_NOOP(
        "Errors", "Write the facts and the liability before confirming."
    ),
    "determination.bad_party": QT_TRANSLATE_NOOP(
        "Errors", "Party {party} is not a party of this case."
    ),
    "determination.override_needs_reason": QT_TRANSLATE_NOOP(
        "Errors", "The grades differ from the situation's proposal; give the reason."
    ),
    "determination.no_unit": QT_TRANSLATE_NOOP(
        "Errors", "{officer} belongs to no unit that issues determination letters."
    ),
    "objection.no_reason": QT_TRANSLATE_NOOP("Errors", "Write what the party objects to."),
    "objection.no_letter": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} has no determination letter to object to."
    ),
    "objection.too_late": QT_TRANSLATE_NOOP(
        "Errors", "The objection window of letter {doc_no} closed at {deadline}."
    ),
    "mediation.no_text": QT_TRANSLATE_NOOP("Errors", "Write the mediation result."),
    "letter.code_unknown": QT_TRANSLATE_NOOP(
        "Errors", "No letter has the verification code {verification_code}."
    ),
    "letter.not_found": QT_TRANSLATE_NOOP("Errors", "Letter {letter_id} does not exist."),
    "document.not_found": QT_TRANSLATE_NOOP(
        "Errors", "Document {sha256}… is not stored in the hall; the push cannot carry it."
    ),
    "claim.not_found": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} has no party insured by this company."
    ),
    "phone.empty": QT_TRANSLATE_NOOP("Errors", "The caller's number is empty."),
    "phone.invalid": QT_TRANSLATE_NOOP(
        "Errors",
        "{number} is not a mobile, landline (with area code) or service number.",
    ),
    # ------------------------------------------------------------ VINs
    "vin.empty": QT_TRANSLATE_NOOP("Errors", "The VIN is empty."),
    "vin.bad_length": QT_TRANSLATE_NOOP(
        "Errors", "VIN {vin} has {found} characters; {required} are required."
    ),
    "vin.bad_character": QT_TRANSLATE_NOOP(
        "Errors",
        "VIN {vin} contains a character that is not allowed; only digits and the letters A–Z except I, O and Q.",
    ),
    "vin.bad_check_digit": QT_TRANSLATE_NOOP(
        "Errors",
        "VIN {vin} has '{found}' at position 9, but the check digit should be '{expected}'; a character is mistyped.",
    ),
    # ------------------------------------------------------------ eligibility (eligibility.py)
    "licence.bad_class": QT_TRANSLATE_NOOP(
        "Errors",
        "Licence class '{found}' is not valid; give classes such as C1, B2 or C1E (one class for a vehicle).",
    ),
    "eligibility.bad_vehicle_range": QT_TRANSLATE_NOOP(
        "Errors",
        "Vehicle range {min_vehicles}–{max_vehicles} is not allowed; fast handling covers 1 to 3 vehicles.",
    ),
    "eligibility.bad_weekdays": QT_TRANSLATE_NOOP(
        "Errors", "The service weekdays must be a non-empty set of 0 (Monday) to 6 (Sunday)."
    ),
    "eligibility.no_districts": QT_TRANSLATE_NOOP(
        "Errors", "The list of served districts is empty; leave it out to serve the whole city."
    ),
    "eligibility.bad_hours": QT_TRANSLATE_NOOP(
        "Errors",
        "Service hours are wall-clock times in the hall's zone; give them without a time zone.",
    ),
    "eligibility.death_or_injury": QT_TRANSLATE_NOOP(
        "Errors", "Someone was injured or killed; fast handling covers property damage only."
    ),
    "eligibility.vehicle_count": QT_TRANSLATE_NOOP(
        "Errors",
        "The accident involves {found} vehicles; fast handling here takes at least {min_vehicles} and at most {max_vehicles}.",
    ),
    "eligibility.non_motor_vehicle": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party} is not in a motor vehicle; fast handling here covers motor vehicles only.",
    ),
    "eligibility.not_drivable": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s vehicle cannot be driven."
    ),
    "eligibility.licence_expired": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party}'s driving licence expired on {valid_until}, before the accident on {accident_date}.",
    ),
    "eligibility.licence_status": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s driving licence is suspended, revoked or otherwise not valid."
    ),
    "eligibility.licence_class": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party}'s licence class {held} does not cover a vehicle needing class {required}.",
    ),
    "eligibility.registration_expired": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party}'s vehicle inspection expired on {valid_until}, before the accident on {accident_date}.",
    ),
    "eligibility.registration_status": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s vehicle registration is not in normal status."
    ),
    "eligibility.no_compulsory_insurance": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party}'s compulsory insurance runs {insured_from} to {insured_until} and does not cover the accident date {accident_date}.",
    ),
    "eligibility.suspected_drink_or_drugs": QT_TRANSLATE_NOOP(
        "Errors", "A driver is suspected of drinking or taking drugs."
    ),
    "eligibility.fake_or_missing_plates": QT_TRANSLATE_NOOP(
        "Errors", "A vehicle has no plates or is suspected of fake or altered plates."
    ),
    "eligibility.dangerous_goods": QT_TRANSLATE_NOOP(
        "Errors", "A vehicle carries dangerous goods."
    ),
    "eligibility.party_fled": QT_TRANSLATE_NOOP("Errors", "A party has left the scene."),
    "eligibility.deliberate_crash": QT_TRANSLATE_NOOP(
        "Errors", "The crash is suspected to have been caused on purpose."
    ),
    "eligibility.outside_districts": QT_TRANSLATE_NOOP(
        "Errors", "District {district} is not served by online fast handling."
    ),
    # ------------------------------------------------------------ liability (liability.py)
    "liability.unknown_code": QT_TRANSLATE_NOOP(
        "Errors", "{value} is not a liability code of the {system} code set."
    ),
    "liability.no_parties": QT_TRANSLATE_NOOP("Errors", "No party has a liability grade."),
    "liability.officer_only_grade": QT_TRANSLATE_NOOP(
        "Errors",
        "Grades {grades}: an agreement between the parties may only use full, equal or none; main and minor need an officer's determination.",
    ),
    "liability.single_vehicle": QT_TRANSLATE_NOOP(
        "Errors", "Grade {grades}: a single-vehicle case must be graded full."
    ),
    "liability.bad_pair": QT_TRANSLATE_NOOP(
        "Errors",
        "Grades {grades} are not allowed for two parties; allowed pairs are full/none, main/minor, equal/equal and none/none.",
    ),
    "liability.full_not_alone": QT_TRANSLATE_NOOP(
        "Errors", "Grades {grades}: a party with full liability leaves every other party with none."
    ),
    "liability.main_without_minor": QT_TRANSLATE_NOOP(
        "Errors", "Grades {grades}: main liability needs at least one party with minor liability."
    ),
    "liability.minor_without_main": QT_TRANSLATE_NOOP(
        "Errors", "Grades {grades}: minor liability needs a party with main or equal liability."
    ),
    "liability.equal_alone": QT_TRANSLATE_NOOP(
        "Errors", "Grades {grades}: equal liability needs at least two parties graded equal."
    ),
    "liability.shares_incomplete": QT_TRANSLATE_NOOP(
        "Errors", "The compensation share table has no entry for {missing}."
    ),
    "liability.shares_out_of_range": QT_TRANSLATE_NOOP(
        "Errors", "Compensation shares must be 0 to 100 percent; got {shares}."
    ),
    "knock_for_knock.negative_loss": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s loss is {loss_yuan} yuan; a loss cannot be negative."
    ),
    "knock_for_knock.too_few_vehicles": QT_TRANSLATE_NOOP(
        "Errors", "Knock-for-knock needs at least {required} vehicles; the case has {found}."
    ),
    "knock_for_knock.no_compulsory_insurance": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party}'s vehicle has no compulsory insurance, so knock-for-knock does not apply.",
    ),
    "knock_for_knock.not_vehicle_damage_only": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party}'s side has injury or third-party property damage; knock-for-knock covers vehicle damage only.",
    ),
    "knock_for_knock.loss_unknown": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s loss has not been assessed yet."
    ),
    "knock_for_knock.loss_over_limit": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party}'s loss of {loss_yuan} yuan is over the {limit} yuan knock-for-knock limit.",
    ),
    "knock_for_knock.party_not_liable": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party} is graded {grade}; knock-for-knock needs every party liable (equal, or main and minor).",
    ),
    "knock_for_knock.party_fully_liable": QT_TRANSLATE_NOOP(
        "Errors",
        "Party {party} is graded {grade}; knock-for-knock needs every party liable (equal, or main and minor), none fully.",
    ),
    "knock_for_knock.consent_unknown": QT_TRANSLATE_NOOP(
        "Errors", "Party {party} has not been asked to consent to knock-for-knock yet."
    ),
    "knock_for_knock.no_consent": QT_TRANSLATE_NOOP(
        "Errors", "Party {party} does not consent to knock-for-knock."
    ),
    # ------------------------------------------------------------ lifecycle (lifecycle.py)
    "lifecycle.not_allowed": QT_TRANSLATE_NOOP(
        "Errors", "A case cannot move from {source} to {target}."
    ),
    "lifecycle.position_not_allowed": QT_TRANSLATE_NOOP(
        "Errors", "The {position} position may not move a case from {source} to {target}."
    ),
    "lifecycle.reason_required": QT_TRANSLATE_NOOP(
        "Errors", "Moving a case to {target} needs a reason."
    ),
    # ------------------------------------------------------------ timers, calendar, rewards
    "timer.bad_amber_fraction": QT_TRANSLATE_NOOP(
        "Errors",
        "The amber threshold must be a fraction above 0 and at most 1; got {amber_fraction}.",
    ),
    "timer.bad_limit": QT_TRANSLATE_NOOP("Errors", "A timer limit must be longer than zero."),
    "timer.bad_days": QT_TRANSLATE_NOOP(
        "Errors", "Objection days and complaint payment working days must be at least 1."
    ),
    "timer.date_based": QT_TRANSLATE_NOOP(
        "Errors", "Timer {timer} ends on a date, not after a fixed duration."
    ),
    "calendar.negative_days": QT_TRANSLATE_NOOP(
        "Errors", "Cannot count {days} working days; the count must be zero or more."
    ),
    "reward.bad_rule": QT_TRANSLATE_NOOP(
        "Errors",
        "The helper reward rule is invalid: cases per block must be at least 1 and amounts zero or more.",
    ),
    "reward.negative_cases": QT_TRANSLATE_NOOP(
        "Errors", "A helper cannot have {cases} determined cases in a month."
    ),
    # ------------------------------------------------------------ situations (situations.py)
    "statute.bad_number": QT_TRANSLATE_NOOP(
        "Errors", "Article number {number} is outside 1 to 999."
    ),
    "situations.bad_file": QT_TRANSLATE_NOOP(
        "Errors", "The standard situation file {path} is invalid: {detail}"
    ),
    "situation.unknown": QT_TRANSLATE_NOOP(
        "Errors", "No standard situation has the code {situation_code}."
    ),
    "situation.no_parties": QT_TRANSLATE_NOOP(
        "Errors", "A case needs at least one party; got {party_count}."
    ),
    "situation.bad_party_index": QT_TRANSLATE_NOOP(
        "Errors", "Party index {at_fault_index} is outside the {party_count} parties of the case."
    ),
    # ------------------------------------------------------------ cases (hall/cases.py, assignment.py, queries.py)
    "case.not_found": QT_TRANSLATE_NOOP(
        "Errors", "Case record {case_id} no longer exists; refresh the queue."
    ),
    "case.stale": QT_TRANSLATE_NOOP(
        "Errors",
        "Case {case_no} was changed by someone else since you opened it. Reload it and apply your change again; your input is kept.",
    ),
    "case.held_by_other": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} is being handled by {holder}."
    ),
    "case.not_claimed": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} is not claimed; claim it first."
    ),
    "case.not_for_position": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} is waiting on the {owner} position, not on yours."
    ),
    "case.takeover_reason": QT_TRANSLATE_NOOP("Errors", "Taking over a case needs a reason."),
    "case.too_many_parties": QT_TRANSLATE_NOOP(
        "Errors", "A fast-handling case has at most 3 parties, not {count}."
    ),
    "case.bad_source": QT_TRANSLATE_NOOP("Errors", "Unknown case source {source}."),
    "case.place_missing": QT_TRANSLATE_NOOP("Errors", "The place of the accident is missing."),
    "case.naive_time": QT_TRANSLATE_NOOP("Errors", "The accident time has no time zone."),
    "case.bad_answer": QT_TRANSLATE_NOOP(
        "Errors", "The answer to {field} must be yes, no or not asked."
    ),
    "case.bad_vehicle_count": QT_TRANSLATE_NOOP(
        "Errors", "Vehicle count {count} is not between 1 and 9."
    ),
    "case.half_coordinates": QT_TRANSLATE_NOOP(
        "Errors", "Give both latitude and longitude, or neither."
    ),
    "case.bad_coordinates": QT_TRANSLATE_NOOP(
        "Errors", "Coordinates {lat}, {lon} are outside the valid range."
    ),
    "case.field_not_editable": QT_TRANSLATE_NOOP(
        "Errors", "These fields cannot be edited here: {fields}."
    ),
    "case.bad_accident_form": QT_TRANSLATE_NOOP("Errors", "{form} is not an accident form code."),
    "case.closed": QT_TRANSLATE_NOOP("Errors", "The case is closed and cannot be edited."),
    "party.name_missing": QT_TRANSLATE_NOOP("Errors", "Party {letter} has no name."),
    "agreement.parties_mismatch": QT_TRANSLATE_NOOP(
        "Errors", "The agreement must grade exactly parties {expected}; it grades {got}."
    ),
    # ------------------------------------------------------------ permissions and accounts
    "permission.denied": QT_TRANSLATE_NOOP("Errors", "The {position} position may not {action}."),
    "user.not_found": QT_TRANSLATE_NOOP("Errors", "The user does not exist."),
    "user.bad_username": QT_TRANSLATE_NOOP(
        "Errors",
        "User name {username} must be 2 to 64 characters: letters, digits, '_', '.' or '-', starting with a letter or digit.",
    ),
    "user.no_display_name": QT_TRANSLATE_NOOP("Errors", "The user's name (as shown) is missing."),
    "user.no_positions": QT_TRANSLATE_NOOP("Errors", "A user needs at least one position."),
    "user.position_not_for_org": QT_TRANSLATE_NOOP(
        "Errors", "Staff of {org} cannot hold the position(s) {positions}."
    ),
    "user.badge_required": QT_TRANSLATE_NOOP(
        "Errors", "A determination officer needs a badge number: it is printed on every letter."
    ),
    "user.duplicate": QT_TRANSLATE_NOOP(
        "Errors", "The user name {username} is taken; choose another."
    ),
    "org.not_found": QT_TRANSLATE_NOOP("Errors", "Organisation {org_id} does not exist."),
    "password.bad_cost": QT_TRANSLATE_NOOP("Errors", "The password hashing cost must be positive."),
    "password.too_short": QT_TRANSLATE_NOOP(
        "Errors", "The password has {found} characters; at least {required} are required."
    ),
    "password.too_long": QT_TRANSLATE_NOOP(
        "Errors", "The password has {found} characters; at most {allowed} are allowed."
    ),
    "password.all_digits": QT_TRANSLATE_NOOP(
        "Errors", "The password is only digits (like a phone or ID number); add letters."
    ),
    "password.blank": QT_TRANSLATE_NOOP("Errors", "The password is only spaces."),
    "password.is_username": QT_TRANSLATE_NOOP("Errors", "The password must not be the user name."),
    "password.wrong_current": QT_TRANSLATE_NOOP("Errors", "The current password is wrong."),
    "password.unchanged": QT_TRANSLATE_NOOP(
        "Errors", "The new password is the same as the current one."
    ),
    "password.changed_meanwhile": QT_TRANSLATE_NOOP(
        "Errors", "The password was changed from another seat meanwhile; sign in again."
    ),
    "auth.bad_policy": QT_TRANSLATE_NOOP(
        "Errors", "The lockout policy is invalid: failures and minutes must both be at least 1."
    ),
    "auth.bad_credentials": QT_TRANSLATE_NOOP("Errors", "Wrong user name or password."),
    "auth.locked": QT_TRANSLATE_NOOP(
        "Errors",
        "Too many wrong passwords: this account is locked until {until}. Try again then, or ask the supervisor to unlock it.",
    ),
    "auth.no_seat": QT_TRANSLATE_NOOP(
        "Errors", "This desk has no seat name; start it with --seat."
    ),
    "auth.bad_seat": QT_TRANSLATE_NOOP(
        "Errors", "The seat name {seat} is longer than 64 characters."
    ),
    "auth.inactive": QT_TRANSLATE_NOOP("Errors", "This account is disabled; ask the supervisor."),
    "auth.position_not_held": QT_TRANSLATE_NOOP(
        "Errors",
        "You do not hold the {position} position; your positions: {held}. Ask the supervisor if this is wrong.",
    ),
    "credentials.password_in_url": QT_TRANSLATE_NOOP(
        "Errors",
        "The database URL {url} contains a password; put the password in the keyring, not in the URL.",
    ),
    "credentials.empty": QT_TRANSLATE_NOOP(
        "Errors", "An empty password or secret cannot be stored."
    ),
    "credentials.no_name": QT_TRANSLATE_NOOP("Errors", "A secret needs a name."),
    "call.not_found": QT_TRANSLATE_NOOP("Errors", "The call no longer exists."),
    "call.bad_external_id": QT_TRANSLATE_NOOP(
        "Errors", "The gateway sent an unusable call id {external_id}."
    ),
    "call.naive_time": QT_TRANSLATE_NOOP("Errors", "The call's {what} time has no time zone."),
    "call.half_coordinates": QT_TRANSLATE_NOOP(
        "Errors", "The caller's location needs both latitude and longitude."
    ),
    "call.bad_coordinates": QT_TRANSLATE_NOOP(
        "Errors", "The caller's location {lat}, {lon} is outside the valid range."
    ),
    "call.bad_position": QT_TRANSLATE_NOOP(
        "Errors", "{position} is not a position that can take calls."
    ),
    "call.bad_seat": QT_TRANSLATE_NOOP(
        "Errors", "Seat name {seat} is longer than {limit} characters."
    ),
    "call.caller_gone": QT_TRANSLATE_NOOP("Errors", "The caller of call {call} has hung up."),
    "call.ended": QT_TRANSLATE_NOOP("Errors", "Call {call} has already ended."),
    "call.answered_by_other": QT_TRANSLATE_NOOP(
        "Errors", "Call {call} was answered by {holder} at seat {seat}."
    ),
    "call.held_by_other": QT_TRANSLATE_NOOP(
        "Errors", "Call {call} is held by {holder} at seat {seat}."
    ),
    "call.for_other_seat": QT_TRANSLATE_NOOP(
        "Errors", "Call {call} is ringing for seat {target_seat}."
    ),
    "call.for_other_position": QT_TRANSLATE_NOOP(
        "Errors", "Call {call} is ringing for the {target_position} position."
    ),
    "call.not_answered": QT_TRANSLATE_NOOP(
        "Errors", "Call {call} has not been answered by this seat."
    ),
    "call.already_linked": QT_TRANSLATE_NOOP(
        "Errors", "Call {call} is already linked to case {case_no}."
    ),
    "call.transfer_target_missing": QT_TRANSLATE_NOOP(
        "Errors", "Choose a position or a seat to transfer the call to."
    ),
    "call.transfer_to_self": QT_TRANSLATE_NOOP("Errors", "The call is already at seat {seat}."),
    "call.seat_position_mismatch": QT_TRANSLATE_NOOP(
        "Errors", "Seat {seat} works as {seat_position}, not {position}."
    ),
    "seat.not_found": QT_TRANSLATE_NOOP("Errors", "There is no seat named {seat}."),
    "seat.inactive": QT_TRANSLATE_NOOP("Errors", "Seat {seat} is not in service."),
    "case.not_open": QT_TRANSLATE_NOOP(
        "Errors", "Case {case_no} is {state} and can no longer take a call."
    ),
}

# Eligibility items still open: same code as the failure, different meaning.
_UNKNOWN = {
    "eligibility.death_or_injury": QT_TRANSLATE_NOOP(
        "Errors", "Whether anyone was injured or killed is not yet known."
    ),
    "eligibility.not_drivable": QT_TRANSLATE_NOOP(
        "Errors", "Whether party {party}'s vehicle can be driven is not yet known."
    ),
    "eligibility.licence_expired": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s driving licence validity is not yet known."
    ),
    "eligibility.licence_status": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s driving licence status is not yet checked."
    ),
    "eligibility.licence_class": QT_TRANSLATE_NOOP(
        "Errors", "Whether party {party}'s licence class covers the vehicle is not yet known."
    ),
    "eligibility.registration_expired": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s vehicle inspection validity is not yet known."
    ),
    "eligibility.registration_status": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s vehicle registration status is not yet checked."
    ),
    "eligibility.no_compulsory_insurance": QT_TRANSLATE_NOOP(
        "Errors", "Party {party}'s compulsory insurance period is not yet known."
    ),
    "eligibility.suspected_drink_or_drugs": QT_TRANSLATE_NOOP(
        "Errors", "Whether any driver drank or took drugs is not yet known."
    ),
    "eligibility.fake_or_missing_plates": QT_TRANSLATE_NOOP(
        "Errors", "Whether every vehicle carries genuine plates is not yet known."
    ),
    "eligibility.dangerous_goods": QT_TRANSLATE_NOOP(
        "Errors", "Whether any vehicle carries dangerous goods is not yet known."
    ),
    "eligibility.party_fled": QT_TRANSLATE_NOOP(
        "Errors", "Whether every party stayed at the scene is not yet known."
    ),
    "eligibility.deliberate_crash": QT_TRANSLATE_NOOP(
        "Errors", "Whether the crash was caused on purpose is not yet assessed."
    ),
    "eligibility.outside_districts": QT_TRANSLATE_NOOP(
        "Errors", "The accident's district is not yet known."
    ),
}
