"""Controls as JUnit XML, so a CI system can gate a pipeline on them.

One test suite per framework, one test case per control: a failing control is a
failure, a control whose query failed an error, and manual, not applicable and no-data
controls are skipped with the reason.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..results import AuditResult, Status


def junit_xml(result: AuditResult) -> str:
    """The result as a JUnit ``testsuites`` document."""
    root = ET.Element("testsuites", name=f"nexus_audit {result.period.label}")

    for score in result.frameworks:
        controls = [c for c in result.controls if c.framework == score.framework]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"{score.name} {score.version}",
            tests=str(len(controls)),
            failures=str(score.counts.get(Status.FAIL.value, 0)),
            errors=str(score.counts.get(Status.ERROR.value, 0)),
            skipped=str(
                len(controls)
                - score.counts.get(Status.PASS.value, 0)
                - score.counts.get(Status.FAIL.value, 0)
                - score.counts.get(Status.ERROR.value, 0)
            ),
            timestamp=result.generated_at.isoformat(),
        )
        for control in controls:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=score.framework,
                name=f"{control.control_id} {control.title}",
            )
            _verdict(case, control.status, control.reason)

    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _verdict(case: ET.Element, status: Status, reason: str) -> None:
    if status is Status.FAIL:
        ET.SubElement(case, "failure", message=reason, type="control_failed")
    elif status is Status.ERROR:
        ET.SubElement(case, "error", message=reason, type="query_failed")
    elif status is not Status.PASS:
        ET.SubElement(case, "skipped", message=f"{status.value}: {reason}")
