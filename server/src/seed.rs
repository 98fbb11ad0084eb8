//! The demo service catalog, taken from the seed guide (CITSmart "Central de Atendimento"):
//! portfolio "CENTRAL DE ATENDIMENTO AO CLIENTE", service "FATURAMENTO", activity
//! "Correção de Faturas", group "1º Nível - NUATE", initial task "Triagem", and a few
//! neighbours so the portal is worth browsing. Loading it again changes nothing: every
//! row is looked up by its natural key before it is inserted, inside one transaction.

use entity::{activity, portfolio, service, support_group};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

pub const DEMO_PORTFOLIO: &str = "CENTRAL DE ATENDIMENTO AO CLIENTE";
pub const DEMO_GROUP: &str = "1º Nível - NUATE";
pub const DEMO_INITIAL_TASK: &str = "Triagem";

struct DemoService {
    name: &'static str,
    description: &'static str,
    activities: &'static [(&'static str, &'static str)],
}

const DEMO_SERVICES: &[DemoService] = &[
    DemoService {
        name: "FATURAMENTO",
        description: "Faturas, cobranças e pagamentos.",
        activities: &[
            (
                "Correção de Faturas",
                "Corrigir dados ou valores de uma fatura emitida.",
            ),
            (
                "Segunda via de fatura",
                "Receber novamente uma fatura já emitida.",
            ),
            ("Contestação de cobrança", "Contestar um valor cobrado."),
        ],
    },
    DemoService {
        name: "PUBLICAÇÃO",
        description: "Envio, correção e cancelamento de matérias.",
        activities: &[
            (
                "Correção de matéria publicada",
                "Pedir a retificação de uma matéria já publicada.",
            ),
            (
                "Cancelamento de matéria",
                "Cancelar uma matéria antes da publicação.",
            ),
        ],
    },
    DemoService {
        name: "ASSINATURAS",
        description: "Assinaturas do Diário Oficial e dados cadastrais.",
        activities: &[
            (
                "Alteração de dados cadastrais",
                "Atualizar os dados do assinante.",
            ),
            (
                "Cancelamento de assinatura",
                "Encerrar uma assinatura ativa.",
            ),
        ],
    },
];

/// Loads the demo catalog; returns how many rows it inserted (0 when already loaded).
pub async fn demo_catalog(db: &DatabaseConnection) -> Result<u32, DbErr> {
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

        for (activity_position, (name, description)) in (0..).zip(demo.activities) {
            let exists = activity::Entity::find()
                .filter(activity::Column::ServiceId.eq(service_id))
                .filter(activity::Column::Name.eq(*name))
                .one(&txn)
                .await?
                .is_some();
            if !exists {
                inserted += 1;
                activity::ActiveModel {
                    service_id: Set(service_id),
                    name: Set((*name).to_owned()),
                    description: Set((*description).to_owned()),
                    position: Set(activity_position),
                    initial_task: Set(DEMO_INITIAL_TASK.to_owned()),
                    initial_group_id: Set(group_id),
                    active: Set(true),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
    }

    txn.commit().await?;
    Ok(inserted)
}
