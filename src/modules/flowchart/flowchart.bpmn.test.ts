import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BpmnModdle } from 'bpmn-moddle';
import { exportBpmn, GK_NAMESPACE, importBpmn, newModdle } from './flowchart.bpmn.ts';
import { twelveStepChart } from './flowchart.fixtures.ts';
import { lanesOf, normalizeFlowchart } from './flowchart.model.ts';
import { licensingChart, penaltyChart } from './flowchart.samples.ts';

test('acceptance: the export parses in bpmn-moddle without warnings, with and without the gk extension', async () => {
  const xml = await exportBpmn(licensingChart(), { title: '医疗机构执业登记' });
  const { rootElement, warnings } = await newModdle().fromXML(xml);
  assert.deepEqual(warnings, []);
  assert.equal(rootElement.$type, 'bpmn:Definitions');
  // A plain bpmn-moddle (other tools) reads it too, with no warnings.
  const plain = BpmnModdle();
  const parsed = await plain.fromXML(xml);
  assert.deepEqual(parsed.warnings, []);
  assert.ok(xml.includes(`xmlns:gk="${GK_NAMESPACE}"`));
  assert.match(xml, /<bpmn:collaboration id="Collaboration_1">/);
  assert.match(xml, /<bpmn:participant id="Participant_1" name="医疗机构执业登记" processRef="Process_1" \/>/);
  assert.match(xml, /<bpmn:lane id="Lane_\d" name="窗口受理岗">/);
  assert.match(xml, /<bpmn:sequenceFlow id="Flow_\d+" name="不予受理" sourceRef="Step_accept" targetRef="Step_rejected" \/>/);
  assert.match(xml, /<gk:stepInfo post="受理" |<gk:stepInfo post="窗口受理岗"[^>]*limitDays="2" limitUnit="working"/);
  assert.match(xml, /<bpmndi:BPMNShape id="Lane_1_di" bpmnElement="Lane_1" isHorizontal="false">/);
  assert.match(xml, /<bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1">\s*<di:waypoint x="\d+" y="\d+" \/>/);
});

test('acceptance: export → import → export keeps steps, lanes, transitions and limits', async () => {
  for (const original of [licensingChart(), penaltyChart(), twelveStepChart()]) {
    const chart = normalizeFlowchart(original);
    const first = await exportBpmn(chart, { title: '事项' });
    const imported = await importBpmn(first);
    assert.deepEqual(imported.warnings, []);
    assert.equal(imported.title, '事项');
    assert.deepEqual(normalizeFlowchart(imported.chart), chart);
    assert.deepEqual(lanesOf(imported.chart), lanesOf(chart));
    const second = await exportBpmn(imported.chart, { title: '事项' });
    assert.equal(second, first);
  }
});

test('a file that is not BPMN, or uses unsupported elements, is refused with a clear error', async () => {
  await assert.rejects(importBpmn('<not-xml'), { code: 'FLOWCHART_BPMN_INVALID' });
  const xml = (await exportBpmn(licensingChart(), { title: 'x' })).replace(
    /<bpmn:userTask id="Step_review"/,
    '<bpmn:exclusiveGateway id="Step_review"',
  );
  await assert.rejects(importBpmn(xml.replace(/<\/bpmn:userTask>(?=[\s\S]*?Step_decide)/, '</bpmn:exclusiveGateway>')), {
    code: 'FLOWCHART_BPMN_INVALID',
  });
});
