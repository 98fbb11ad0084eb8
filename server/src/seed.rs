//! The demo service catalog, taken from the seed guide (CITSmart "Central de Atendimento"):
//! portfolio "CENTRAL DE ATENDIMENTO AO CLIENTE", service "FATURAMENTO", activity
//! "Correção de Faturas", group "1º Nível - NUATE", initial task "Triagem", and a few
//! neighbours so the portal is worth browsing. Loading it again changes nothing: every
//! row is looked up by its natural key before it is inserted, inside one transaction.

use app::domain::documents::search_key;
use entity::{activity, activity_field, portfolio, service, support_group};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, Set, TransactionSession,
    TransactionTrait,
};

pub const DEMO_PORTFOLIO: &str = "CENTRAL DE ATENDIMENTO AO CLIENTE";
pub const DEMO_GROUP: &str = "1º Nível - NUATE";
pub const DEMO_INITIAL_TASK: &str = "Triagem";

struct DemoService {
    name: &'static str,
    description: &'static str,
    activities: &'static [DemoActivity],
}

struct DemoActivity {
    name: &'static str,
    description: &'static str,
    /// "R" Requisição, "I" Incidente.
    ticket_type: &'static str,
    impact: i32,
    urgency: i32,
    sla_hours: Option<i32>,
    /// (label, kind, required, options one per line)
    fields: &'static [(&'static str, &'static str, bool, &'static str)],
}

const INVOICE: (&str, &str, bool, &str) = ("Número da fatura", "text", true, "");

const DEMO_SERVICES: &[DemoService] = &[
    DemoService {
        name: "FATURAMENTO",
        description: "Faturas, cobranças e pagamentos.",
        activities: &[
            DemoActivity {
                name: "Correção de Faturas",
                description: "Corrigir dados ou valores de uma fatura emitida.",
                ticket_type: "R",
                impact: 3,
                urgency: 3,
                sla_hours: None,
                fields: &[
                    INVOICE,
                    ("Mês de referência", "date", false, ""),
                    ("Valor correto (R$)", "number", false, ""),
                ],
            },
            DemoActivity {
                name: "Segunda via de fatura",
                description: "Receber novamente uma fatura já emitida.",
                ticket_type: "R",
                impact: 3,
                urgency: 2,
                sla_hours: Some(8),
                fields: &[INVOICE],
            },
            DemoActivity {
                name: "Contestação de cobrança",
                description: "Contestar um valor cobrado.",
                ticket_type: "R",
                impact: 2,
                urgency: 2,
                sla_hours: Some(24),
                fields: &[
                    INVOICE,
                    (
                        "Motivo",
                        "select",
                        true,
                        "Valor incorreto\nCobrança em duplicidade\nServiço não prestado",
                    ),
                ],
            },
        ],
    },
    DemoService {
        name: "PUBLICAÇÃO",
        description: "Envio, correção e cancelamento de matérias.",
        activities: &[
            DemoActivity {
                name: "Correção de matéria publicada",
                description: "Pedir a retificação de uma matéria já publicada.",
                ticket_type: "I",
                impact: 2,
                urgency: 1,
                sla_hours: Some(4),
                fields: &[
                    ("Data da publicação", "date", true, ""),
                    ("Seção", "select", true, "Seção 1\nSeção 2\nSeção 3"),
                ],
            },
            DemoActivity {
                name: "Cancelamento de matéria",
                description: "Cancelar uma matéria antes da publicação.",
                ticket_type: "R",
                impact: 2,
                urgency: 2,
                sla_hours: Some(8),
                fields: &[("Código da matéria", "text", true, "")],
            },
        ],
    },
    DemoService {
        name: "ASSINATURAS",
        description: "Assinaturas do Diário Oficial e dados cadastrais.",
        activities: &[
            DemoActivity {
                name: "Alteração de dados cadastrais",
                description: "Atualizar os dados do assinante.",
                ticket_type: "R",
                impact: 3,
                urgency: 3,
                sla_hours: Some(16),
                fields: &[],
            },
            DemoActivity {
                name: "Cancelamento de assinatura",
                description: "Encerrar uma assinatura ativa.",
                ticket_type: "R",
                impact: 3,
                urgency: 2,
                sla_hours: Some(24),
                fields: &[("CNPJ do assinante", "cnpj", false, "")],
            },
        ],
    },
];

/// Loads the demo catalog; returns how many rows it inserted (0 when already loaded).
/// Runs in a transaction of its own, nested in `db`'s when `db` is one (startup's setup).
pub async fn demo_catalog<C: TransactionTrait>(db: &C) -> Result<u32, DbErr> {
    let txn = db.begin().await?;
    let mut inserted = 0;

    let group_id = match support_group::Entity::find()
        .filter(support_group::Column::Name.eq(DEMO_GROUP))
        .one(&txn)
        .await?
    {
        Some(group) => group.id,
        None => {
            inserted += 1;
            support_group::ActiveModel {
                name: Set(DEMO_GROUP.to_owned()),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        }
    };

    let portfolio_id = match portfolio::Entity::find()
        .filter(portfolio::Column::Name.eq(DEMO_PORTFOLIO))
        .one(&txn)
        .await?
    {
        Some(found) => found.id,
        None => {
            inserted += 1;
            portfolio::ActiveModel {
                name: Set(DEMO_PORTFOLIO.to_owned()),
                description: Set("Solicitações de clientes e cidadãos.".to_owned()),
                position: Set(0),
                active: Set(true),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        }
    };

    for (service_position, demo) in (0..).zip(DEMO_SERVICES) {
        let service_id = match service::Entity::find()
            .filter(service::Column::PortfolioId.eq(portfolio_id))
            .filter(service::Column::Name.eq(demo.name))
            .one(&txn)
            .await?
        {
            Some(found) => found.id,
            None => {
                inserted += 1;
                service::ActiveModel {
                    portfolio_id: Set(portfolio_id),
                    name: Set(demo.name.to_owned()),
                    description: Set(demo.description.to_owned()),
                    position: Set(service_position),
                    active: Set(true),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };

        for (activity_position, demo_activity) in (0..).zip(demo.activities) {
            let exists = activity::Entity::find()
                .filter(activity::Column::ServiceId.eq(service_id))
                .filter(activity::Column::Name.eq(demo_activity.name))
                .one(&txn)
                .await?
                .is_some();
            if !exists {
                inserted += 1;
                let created = activity::ActiveModel {
                    service_id: Set(service_id),
                    name: Set(demo_activity.name.to_owned()),
                    description: Set(demo_activity.description.to_owned()),
                    position: Set(activity_position),
                    initial_task: Set(DEMO_INITIAL_TASK.to_owned()),
                    initial_group_id: Set(group_id),
                    active: Set(true),
                    ticket_type: Set(demo_activity.ticket_type.to_owned()),
                    impact: Set(demo_activity.impact),
                    urgency: Set(demo_activity.urgency),
                    sla_hours: Set(demo_activity.sla_hours),
                    search_key: Set(search_key(&format!(
                        "{DEMO_PORTFOLIO} {} {} {}",
                        demo.name, demo_activity.name, demo_activity.description
                    ))),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                for (field_position, (label, kind, required, options)) in
                    (0..).zip(demo_activity.fields)
                {
                    activity_field::ActiveModel {
                        activity_id: Set(created.id),
                        label: Set((*label).to_owned()),
                        kind: Set((*kind).to_owned()),
                        required: Set(*required),
                        options: Set((*options).to_owned()),
                        position: Set(field_position),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                }
            }
        }
    }

    txn.commit().await?;
    Ok(inserted)
}
