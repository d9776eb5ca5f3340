#!/usr/bin/env bash
# Wakes what office hours stopped, before a deploy out of hours (docs/runbooks/wake-a-sleeping-stack.md): staging's
# NAT instance (a preview's tasks pull their image and read their secrets through it) and the stack's own database
# (RDS modifies only an available instance). Starts what is stopped, waits for what is starting, and changes nothing
# that is awake or does not exist yet (a new preview has no outputs). The next scheduled stop puts them back to sleep.
# Usage: wake-stack.sh <stack> [<staging stack>]   (AWS_REGION and a Pulumi login in the environment)
set -euo pipefail
stack="${1:?usage: wake-stack.sh <stack> [<staging stack>]}"
staging="${2:-staging}"
region="${AWS_REGION:?AWS_REGION must be set}"

output() { pulumi stack output "$1" --stack "$2" 2>/dev/null || true; }

nat="$(output natInstanceId "$staging")"
if [ -n "$nat" ]; then
  state="$(aws ec2 describe-instances --region "$region" --instance-ids "$nat" \
    --query 'Reservations[0].Instances[0].State.Name' --output text)"
  if [ "$state" = "stopped" ]; then
    echo "starting $staging's NAT instance $nat"
    aws ec2 start-instances --region "$region" --instance-ids "$nat" >/dev/null
  fi
  if [ "$state" != "running" ]; then aws ec2 wait instance-running --region "$region" --instance-ids "$nat"; fi
fi

db="$(output databaseInstanceId "$stack")"
if [ -n "$db" ]; then
  status="$(aws rds describe-db-instances --region "$region" --db-instance-identifier "$db" \
    --query 'DBInstances[0].DBInstanceStatus' --output text 2>/dev/null || echo missing)"
  if [ "$status" = "stopped" ]; then
    echo "starting $stack's database $db"
    aws rds start-db-instance --region "$region" --db-instance-identifier "$db" >/dev/null
  fi
  if [ "$status" != "available" ] && [ "$status" != "missing" ]; then
    aws rds wait db-instance-available --region "$region" --db-instance-identifier "$db"
  fi
fi
