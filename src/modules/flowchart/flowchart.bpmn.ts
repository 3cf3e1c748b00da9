/**
 * BPMN 2.0 export and import (bpmn-moddle). A flowchart becomes one collaboration with one
 * participant (the power) whose process has one lane per post; tasks are bpmn:userTask, the
 * start and end nodes bpmn:startEvent / bpmn:endEvent, transitions bpmn:sequenceFlow named by
 * their condition. Diagram interchange (BPMNDiagram) carries the shapes and edges of our own
 * layout, with vertical lanes (isHorizontal="false"). What BPMN has no place for — time limits,
 * clock stops, statutory limits, supervision points, rights and complaint channels — travels in
 * <gk:stepInfo> extension elements of the namespace below.
 */
import { BpmnModdle, type BpmnModdleInstance } from 'bpmn-moddle';
import { AppError } from '../../app-error.ts';
import { layoutFlowchart } from './flowchart.layout.ts';
import {
  type Flowchart,
  ID_PATTERN,
  LIMIT_UNITS,
  type LimitUnit,
  type Step,
  type StepLimit,
  type Transition,
} from './flowchart.model.ts';

export const GK_NAMESPACE = 'http://gongkai.gov/schema/bpmn/ext';

/** The moddle description of the gk: extension. */
export const gkPackage = {
  name: 'Gongkai',
  uri: GK_NAMESPACE,
  prefix: 'gk',
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  enumerations: [],
  types: [
    {
      name: 'StepInfo',
      superClass: ['Element'],
      properties: [
        { name: 'post', isAttr: true, type: 'String' },
        { name: 'limitDays', isAttr: true, type: 'Integer' },
        { name: 'limitUnit', isAttr: true, type: 'String' },
        { name: 'countsTowardLimit', isAttr: true, type: 'Boolean' },
        { name: 'statutoryDays', isAttr: true, type: 'Integer' },
        { name: 'statutoryUnit', isAttr: true, type: 'String' },
        { name: 'supervision', isAttr: true, type: 'String' },
        { name: 'complaintOffice', isAttr: true, type: 'String' },
        { name: 'complaintPhone', isAttr: true, type: 'String' },
        { name: 'complaintWeb', isAttr: true, type: 'String' },
        { name: 'rights', type: 'Right', isMany: true },
      ],
    },
    { name: 'Right', properties: [{ name: 'text', isBody: true, type: 'String' }] },
  ],
};

// moddle elements are dynamic: typed loosely.
type El = any;
type Moddle = BpmnModdleInstance;

export function newModdle(): Moddle {
  return BpmnModdle({ gk: gkPackage });
}

const elementId = (stepId: string) => `Step_${stepId}`;

export async function exportBpmn(chart: Flowchart, options: { title: string; processId?: string }): Promise<string> {
  const moddle = newModdle();
  const layout = await layoutFlowchart(chart);
  const elements = new Map<string, El>();
  const flowElements: El[] = [];
  for (const step of chart.steps) {
    const type = step.type === 'start' ? 'bpmn:StartEvent' : step.type === 'end' ? 'bpmn:EndEvent' : 'bpmn:UserTask';
    const el = moddle.create(type, { id: elementId(step.id), name: step.name, incoming: [], outgoing: [] });
    if (step.type === 'task') {
      if (step.duty) el.documentation = [moddle.create('bpmn:Documentation', { text: step.duty })];
      const info = moddle.create('gk:StepInfo', {
        post: step.post,
        countsTowardLimit: step.countsTowardLimit !== false,
        ...(step.limit ? { limitDays: step.limit.days, limitUnit: step.limit.unit } : {}),
        ...(step.statutoryLimit ? { statutoryDays: step.statutoryLimit.days, statutoryUnit: step.statutoryLimit.unit } : {}),
        ...(step.supervision ? { supervision: step.supervision } : {}),
        ...(step.complaint?.office ? { complaintOffice: step.complaint.office } : {}),
        ...(step.complaint?.phone ? { complaintPhone: step.complaint.phone } : {}),
        ...(step.complaint?.web ? { complaintWeb: step.complaint.web } : {}),
      });
      info.rights = (step.rights ?? []).map((text) => moddle.create('gk:Right', { text }));
      el.extensionElements = moddle.create('bpmn:ExtensionElements', { values: [info] });
    }
    elements.set(step.id, el);
    flowElements.push(el);
  }
  const flows = chart.transitions.map((t, i) => {
    const source = elements.get(t.from);
    const target = elements.get(t.to);
    const flow = moddle.create('bpmn:SequenceFlow', {
      id: `Flow_${i + 1}`,
      sourceRef: source,
      targetRef: target,
      ...(t.condition ? { name: t.condition } : {}),
    });
    source.outgoing.push(flow);
    target.incoming.push(flow);
    return flow;
  });
  flowElements.push(...flows);

  const lanes = layout.lanes.map((lane, i) =>
    moddle.create('bpmn:Lane', {
      id: `Lane_${i + 1}`,
      name: lane.name,
      flowNodeRef: layout.nodes.filter((n) => n.lane === lane.name).map((n) => elements.get(n.id)),
    }),
  );
  const process = moddle.create('bpmn:Process', {
    id: options.processId ?? 'Process_1',
    isExecutable: false,
    laneSets: [moddle.create('bpmn:LaneSet', { id: 'LaneSet_1', lanes })],
    flowElements,
  });
  const participant = moddle.create('bpmn:Participant', { id: 'Participant_1', name: options.title, processRef: process });
  const collaboration = moddle.create('bpmn:Collaboration', { id: 'Collaboration_1', participants: [participant] });

  const bounds = (x: number, y: number, width: number, height: number) =>
    moddle.create('dc:Bounds', { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) });
  const top = 12;
  const height = layout.height - 24;
  const shapes: El[] = [
    moddle.create('bpmndi:BPMNShape', {
      id: 'Participant_1_di',
      bpmnElement: participant,
      isHorizontal: false,
      bounds: bounds(layout.lanes[0]?.x ?? 0, top, layout.width - 2 * (layout.lanes[0]?.x ?? 0), height),
    }),
    ...layout.lanes.map((lane, i) =>
      moddle.create('bpmndi:BPMNShape', {
        id: `Lane_${i + 1}_di`,
        bpmnElement: lanes[i],
        isHorizontal: false,
        bounds: bounds(lane.x, top, lane.width, height),
      }),
    ),
    ...layout.nodes.map((node) =>
      moddle.create('bpmndi:BPMNShape', {
        id: `${elementId(node.id)}_di`,
        bpmnElement: elements.get(node.id),
        bounds: bounds(node.x, node.y, node.width, node.height),
      }),
    ),
  ];
  const edges = layout.edges.map((edge, i) =>
    moddle.create('bpmndi:BPMNEdge', {
      id: `Flow_${i + 1}_di`,
      bpmnElement: flows[i],
      waypoint: edge.points.map((p) => moddle.create('dc:Point', { x: Math.round(p.x), y: Math.round(p.y) })),
      ...(edge.label
        ? {
            label: moddle.create('bpmndi:BPMNLabel', {
              bounds: bounds(edge.label.x, edge.label.y, edge.label.width, edge.label.height),
            }),
          }
        : {}),
    }),
  );
  const plane = moddle.create('bpmndi:BPMNPlane', {
    id: 'Plane_1',
    bpmnElement: collaboration,
    planeElement: [...shapes, ...edges],
  });
  const diagram = moddle.create('bpmndi:BPMNDiagram', { id: 'Diagram_1', plane });
  const definitions = moddle.create('bpmn:Definitions', {
    id: 'Definitions_1',
    targetNamespace: 'http://gongkai.gov/schema/bpmn',
    exporter: 'Gongkai',
    exporterVersion: '1',
    rootElements: [collaboration, process],
    diagrams: [diagram],
  });
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

const invalid = (reason: string) => new AppError('FLOWCHART_BPMN_INVALID', { reason }, [{ path: '/', message: reason }]);

function limitOf(days: unknown, unit: unknown): StepLimit | null {
  if (days === undefined || days === null) return null;
  const n = Number(days);
  if (!Number.isInteger(n) || n < 0) throw invalid(`bad limit ${String(days)}`);
  return { days: n, unit: LIMIT_UNITS.includes(unit as LimitUnit) ? (unit as LimitUnit) : 'working' };
}

/** Reads a BPMN 2.0 file (ours or another tool's, without gateways) back into a flowchart. */
export async function importBpmn(xml: string): Promise<{ chart: Flowchart; title?: string; warnings: string[] }> {
  const moddle = newModdle();
  let parsed: Awaited<ReturnType<Moddle['fromXML']>>;
  try {
    parsed = await moddle.fromXML(xml);
  } catch (error) {
    throw invalid((error as Error).message.split('\n')[0]);
  }
  const definitions = parsed.rootElement;
  const roots: El[] = definitions.rootElements ?? [];
  const process = roots.find((r) => r.$type === 'bpmn:Process' && (r.flowElements ?? []).length);
  if (!process) throw invalid('no bpmn:process with flow elements');
  const collaboration = roots.find((r) => r.$type === 'bpmn:Collaboration');
  const participant = (collaboration?.participants ?? []).find((p: El) => p.processRef === process);
  const laneOfElement = new Map<El, string>();
  for (const laneSet of process.laneSets ?? [])
    for (const lane of laneSet.lanes ?? []) for (const ref of lane.flowNodeRef ?? []) laneOfElement.set(ref, lane.name ?? '');

  const idOf = new Map<El, string>();
  const used = new Set<string>();
  const steps: Step[] = [];
  const transitions: Transition[] = [];
  for (const el of process.flowElements ?? []) {
    if (el.$type === 'bpmn:SequenceFlow') continue;
    let type: Step['type'];
    if (el.$type === 'bpmn:StartEvent') type = 'start';
    else if (el.$type === 'bpmn:EndEvent') type = 'end';
    else if (/Task$/.test(el.$type) || el.$type === 'bpmn:SubProcess' || el.$type === 'bpmn:CallActivity') type = 'task';
    else throw invalid(`unsupported element ${el.$type} (${el.id})`);
    let id = String(el.id).replace(/^Step_/, '');
    if (!ID_PATTERN.test(id) || used.has(id)) id = `s${steps.length + 1}`;
    used.add(id);
    idOf.set(el, id);
    const step: Step = { id, type, name: String(el.name ?? '').trim() || id };
    const info = (el.extensionElements?.values ?? []).find((v: El) => v.$type === 'gk:StepInfo');
    // Start and end nodes take a neighbour's lane when drawn; only tasks need their post.
    const post = info?.post ?? (type === 'task' ? laneOfElement.get(el) : undefined);
    if (post) step.post = post;
    if (type === 'task') {
      const duty = (el.documentation ?? [])
        .map((d: El) => d.text)
        .filter(Boolean)
        .join('\n');
      if (duty) step.duty = duty;
      step.limit = limitOf(info?.limitDays, info?.limitUnit);
      step.countsTowardLimit = info?.countsTowardLimit !== false;
      const statutory = limitOf(info?.statutoryDays, info?.statutoryUnit);
      if (statutory) step.statutoryLimit = statutory;
      if (info?.supervision) step.supervision = info.supervision;
      const rights = (info?.rights ?? []).map((r: El) => String(r.text ?? '').trim()).filter(Boolean);
      if (rights.length) step.rights = rights;
      const complaint = { office: info?.complaintOffice, phone: info?.complaintPhone, web: info?.complaintWeb };
      if (complaint.office || complaint.phone || complaint.web)
        step.complaint = Object.fromEntries(Object.entries(complaint).filter(([, v]) => v));
    }
    steps.push(step);
  }
  for (const el of process.flowElements ?? []) {
    if (el.$type !== 'bpmn:SequenceFlow') continue;
    const from = idOf.get(el.sourceRef);
    const to = idOf.get(el.targetRef);
    if (!from || !to) throw invalid(`sequence flow ${el.id} joins unknown elements`);
    const name = String(el.name ?? '').trim();
    transitions.push(name ? { from, to, condition: name } : { from, to });
  }
  return { chart: { steps, transitions }, title: participant?.name, warnings: parsed.warnings.map((w) => w.message) };
}
