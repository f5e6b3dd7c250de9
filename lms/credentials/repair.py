"""Certificates a completion earned but never got (a completion stored before issuing was in
its transaction): issued now, once. A person who ever held one for the achievement (revoked,
renewed) is left alone: only a completion with no certificate at all is repaired."""

from sqlalchemy import exists, select

from .. import db, events
from ..accounts.models import User
from ..learning.models import ModuleCompletion
from .issuing import award, issue_for_completion
from .models import MODULE, PATH, Certificate


def _never_held(kind, user_id, subject_id):
    return ~exists().where(Certificate.user_id == user_id, Certificate.kind == kind,
                           Certificate.subject_id == subject_id)


def repair(catalog):
    fixed = {"certificates": 0}
    missing = db.session.execute(select(ModuleCompletion.user_id, ModuleCompletion.module_id, ModuleCompletion.completed_at)
                                 .where(_never_held(MODULE, ModuleCompletion.user_id, ModuleCompletion.module_id))
                                 .order_by(ModuleCompletion.id)).all()
    for user_id, module_id, completed_at in missing:
        if module_id in catalog.modules:
            fixed["certificates"] += len(issue_for_completion(catalog, user_id, module_id, now=completed_at))
            events.commit()
    if catalog.path is not None:
        steps = {s.module_id for s in catalog.path.steps}
        holders = db.session.scalars(select(ModuleCompletion.user_id).where(
            ModuleCompletion.module_id.in_(steps), _never_held(PATH, ModuleCompletion.user_id, catalog.path.id))
            .group_by(ModuleCompletion.user_id)).all()
        for user_id in holders:
            done = set(db.session.scalars(select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user_id)))
            if steps <= done:
                award(catalog, db.session.get(User, user_id), PATH, catalog.path.id)
                events.commit()
                fixed["certificates"] += 1
    return fixed
